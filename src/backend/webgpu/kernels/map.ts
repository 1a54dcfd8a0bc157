// The elementwise program: out[i] = expr(a[i], b[i], c[i]) over a broadcast shape, every
// operand read through its own strides and offset (negative strides from flip included).
// Each operand is specialised as contiguous (c), a broadcast scalar (s) or general strided
// (g), so the common contiguous case runs without any index arithmetic.
import type { TensorView } from "../../backend.js";
import type { Kernel, OutputSpec } from "../../registry.js";
import type { DType } from "../../../tensor/dtype.js";
import { broadcastStrides, contiguousStrides, sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { type Expr, storeValue } from "../exprs.js";
import { Meta, MAX_RANK, checkRank, coalesce, isRowMajor } from "../layout.js";
import { META_WGSL, threadMain, mathFor, wgslType } from "../wgsl.js";

/** Where a map writes: a buffer read through strides (cat and unslice write windows). */
export interface Dest {
  readonly buf: GpuBuffer;
  readonly strides: readonly number[];
  readonly offset: number;
}

type Mode = "c" | "s" | "g";
const VARS = ["a", "b", "c", "d", "e"];
const WG = 256;
// Parameter block: n, rank, then offsets (out, in0..in4) from word 2, shape from 8, strides
// of out and each input from 16 in blocks of MAX_RANK (five inputs fill the 64 words).
const SHAPE_AT = 8;
const strideAt = (operand: number) => 16 + operand * MAX_RANK;

function modeOf(shape: readonly number[], strides: readonly number[]): Mode {
  if (strides.every((s) => s === 0)) return "s";
  return isRowMajor(shape, strides) ? "c" : "g";
}

function source(expr: Expr, inTypes: DType[], out: DType, modes: Mode[]): string {
  const ops = ["o", ...inTypes.map((_, k) => `i${k}`)];
  const decls = inTypes
    .map((t, k) => `@group(0) @binding(${k + 2}) var<storage, read> in${k}: array<${wgslType(t)}>;`)
    .join("\n");
  const init = ops
    .map((o, k) => `var p${o} = ms(${2 + k}u)${modes[k] === "c" ? " + i32(i)" : ""};`)
    .join("\n  ");
  const general = ops.map((o, k) => (modes[k] === "g" ? k : -1)).filter((k) => k >= 0);
  const walk = general.length
    ? `var rem = i;
  for (var d = i32(mu(1u)) - 1; d >= 0; d--) {
    let sz = mu(${SHAPE_AT}u + u32(d));
    let q = i32(rem % sz);
    rem = rem / sz;
    ${general.map((k) => `p${ops[k]} += q * ms(${strideAt(k)}u + u32(d));`).join("\n    ")}
  }`
    : "";
  const loads = inTypes.map((_, k) => `let ${VARS[k]} = in${k}[u32(pi${k})];`).join("\n  ");
  const body = `@group(0) @binding(1) var<storage, read_write> out: array<${wgslType(out)}>;
${decls}
${threadMain(WG)}
  ${init}
  ${walk}
  ${loads}
  out[u32(po)] = ${storeValue(expr, out)};
}`;
  // An op's own helper functions (Expr.fns) go after the shared maths they may call.
  const own = expr.fns ?? "";
  return `${META_WGSL}\n${mathFor(own + body)}\n${own}\n${body}`;
}

/**
 * Runs `expr` over `inputs` broadcast to `shape`, writing `dest` (or a fresh contiguous
 * buffer of dtype `out`). Returns the buffer written.
 */
export function runMap(
  backend: WebGpuBackend,
  expr: Expr,
  inputs: readonly TensorView[],
  shape: readonly number[],
  out: DType,
  dest?: Dest,
): GpuBuffer {
  const n = sizeOf(shape);
  const buf = dest?.buf ?? backend.output(out, n);
  if (n === 0) return buf;
  const outStrides = dest?.strides ?? contiguousStrides(shape);
  const all = [outStrides, ...inputs.map((v) => broadcastStrides(v.shape, v.strides, shape))];
  const c = coalesce(shape, all);
  checkRank("elementwise", c.shape.length, shape);
  const modes = c.strides.map((s) => modeOf(c.shape, s));
  if (modes[0] === "s") modes[0] = "c"; // n === 1: a single element is contiguous
  const inTypes = inputs.map((v) => v.dtype);
  const key = `map|${expr.code}|${inTypes.join(",")}>${out}|${modes.join("")}`;
  const pipeline = backend.pipelines.get(key, () => source(expr, inTypes, out, modes));
  const meta = new Meta().u(0, n).u(1, c.shape.length);
  meta.i(2, dest?.offset ?? 0);
  inputs.forEach((v, k) => meta.i(3 + k, v.offset));
  meta.list(SHAPE_AT, c.shape);
  c.strides.forEach((s, k) => meta.list(strideAt(k), s));
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  backend.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return buf;
}

/** A fresh contiguous view of a kernel's output. */
export function outView(buf: GpuBuffer, spec: OutputSpec): TensorView {
  return {
    buffer: buf,
    dtype: spec.dtype,
    shape: spec.shape,
    strides: contiguousStrides(spec.shape),
    offset: 0,
  };
}

/** A kernel computing `exprOf(inputs, out, attrs)` over broadcast inputs. */
export function mapKernel(
  exprOf: (inputs: readonly TensorView[], out: OutputSpec, attrs: unknown) => Expr,
) {
  const kernel: Kernel = (backend, inputs, attrs, out) => {
    const b = backend as WebGpuBackend;
    return outView(runMap(b, exprOf(inputs, out, attrs), inputs, out.shape, out.dtype), out);
  };
  return kernel;
}
