// Reductions: sum, prod, max, min, argmax, argmin over any set of dims of a strided view.
// Kept dims and reduced dims are merged separately. Few long reductions run one workgroup
// per output (a shared-memory tree); many short ones run one thread per output (a loop).
// NaN propagates through max/min; argmax/argmin return the first extreme index (a NaN
// counts as the extreme), decided by a tie-break on the index so the tree agrees with a loop.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import type { ReduceOp } from "../../../ops/names.js";
import type { DType } from "../../../tensor/dtype.js";
import { contiguousStrides, sizeOf } from "../../../tensor/shape.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta, checkRank, coalesce } from "../layout.js";
import { META_WGSL, threadMain, mathFor, wgslType } from "../wgsl.js";
import { outView } from "./map.js";

const TREE = 256;
const SERIAL = 64;
// Parameter block: outer, inner, kept rank, reduced rank, x offset; kept shape/strides from
// 8 and 16, reduced shape/strides from 24 and 32.

const isArg = (op: ReduceOp) => op === "argmax" || op === "argmin";

function accType(op: ReduceOp, input: DType): string {
  if (op === "sum" || op === "prod") return input === "float32" ? "f32" : "i32";
  return wgslType(input);
}

function identity(op: ReduceOp, t: string): string {
  const big = t === "f32" ? "inf_()" : t === "i32" ? "2147483647" : "0xffffffffu";
  const small = t === "f32" ? "-inf_()" : t === "i32" ? "bitcast<i32>(0x80000000u)" : "0u";
  const table: Record<ReduceOp, string> = {
    sum: `${t}(0)`,
    prod: `${t}(1)`,
    max: small,
    min: big,
    argmax: small,
    argmin: big,
  };
  return table[op];
}

/** WGSL: fn take(va, ia, vb, ib) -> bool says whether (vb, ib) replaces (va, ia). */
function argTake(op: ReduceOp, t: string): string {
  const cmp = op === "argmax" ? ">" : "<";
  const nan = t === "f32";
  return `fn take(va: ${t}, ia: i32, vb: ${t}, ib: i32) -> bool {
  if (ib < 0) { return false; }
  if (ia < 0) { return true; }
  ${nan ? "if (isnan_(va)) { return isnan_(vb) && ib < ia; }\n  if (isnan_(vb)) { return true; }" : ""}
  if (vb ${cmp} va) { return true; }
  return vb == va && ib < ia;
}`;
}

function combine(op: ReduceOp, t: string): string {
  if (op === "sum") return "a + b";
  if (op === "prod") return "a * b";
  if (t === "f32") return op === "max" ? "maxf_(a, b)" : "minf_(a, b)";
  return op === "max" ? "max(a, b)" : "min(a, b)";
}

function header(op: ReduceOp, input: DType, out: DType): string {
  const t = accType(op, input);
  return `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<${wgslType(out)}>;
@group(0) @binding(2) var<storage, read> x: array<${wgslType(input)}>;
${isArg(op) ? argTake(op, t) : `fn comb(a: ${t}, b: ${t}) -> ${t} { return ${combine(op, t)}; }`}
fn load(p: i32) -> ${t} { return ${t}(x[u32(p)]); }
fn base(o: u32) -> i32 {
  var p = ms(4u);
  var rem = o;
  for (var d = i32(mu(2u)) - 1; d >= 0; d--) {
    let sz = mu(8u + u32(d));
    p += i32(rem % sz) * ms(16u + u32(d));
    rem = rem / sz;
  }
  return p;
}`;
}

function serialSource(op: ReduceOp, input: DType, out: DType): string {
  const t = accType(op, input);
  const step = isArg(op)
    ? `let v = load(p); if (take(acc, best, v, i32(j))) { acc = v; best = i32(j); }`
    : `acc = comb(acc, load(p));`;
  return `${header(op, input, out)}
${threadMain(SERIAL, "o")}
  var p = base(o);
  var acc: ${t} = ${identity(op, t)};
  var best = -1;
  var idx: array<u32, 8>;
  let rank = i32(mu(3u));
  for (var j = 0u; j < mu(1u); j++) {
    ${step}
    for (var d = rank - 1; d >= 0; d--) {
      let k = u32(d);
      idx[k] += 1u;
      p += ms(32u + k);
      if (idx[k] < mu(24u + k)) { break; }
      p -= ms(32u + k) * i32(mu(24u + k));
      idx[k] = 0u;
    }
  }
  out[o] = ${isArg(op) ? "best" : `${wgslType(out)}(acc)`};
}`;
}

function treeSource(op: ReduceOp, input: DType, out: DType): string {
  const t = accType(op, input);
  const arg = isArg(op);
  const step = arg
    ? `let v = load(p); if (take(acc, best, v, i32(j))) { acc = v; best = i32(j); }`
    : `acc = comb(acc, load(p));`;
  const merge = arg
    ? `if (take(sv[lid], si[lid], sv[lid + s], si[lid + s])) { sv[lid] = sv[lid + s]; si[lid] = si[lid + s]; }`
    : `sv[lid] = comb(sv[lid], sv[lid + s]);`;
  return `${header(op, input, out)}
var<workgroup> sv: array<${t}, ${TREE}>;
var<workgroup> si: array<i32, ${TREE}>;
${threadMain(TREE, "o", "workgroup")}
  let b = base(o);
  var acc: ${t} = ${identity(op, t)};
  var best = -1;
  let rank = i32(mu(3u));
  for (var j = lid; j < mu(1u); j += ${TREE}u) {
    var p = b;
    var rem = j;
    for (var d = rank - 1; d >= 0; d--) {
      let sz = mu(24u + u32(d));
      p += i32(rem % sz) * ms(32u + u32(d));
      rem = rem / sz;
    }
    ${step}
  }
  sv[lid] = acc;
  si[lid] = best;
  for (var s = ${TREE / 2}u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid < s) { ${merge} }
  }
  if (lid == 0u) { out[o] = ${arg ? "si[0]" : `${wgslType(out)}(sv[0])`}; }
}`;
}

const withMath = (src: string) => `${mathFor(src)}\n${src}`;

export function reduceKernel(op: ReduceOp): Kernel {
  return (backend, [x]: readonly TensorView[], attrs: { dims: number[] }, spec) => {
    const b = backend as WebGpuBackend;
    const dims = new Set(attrs.dims);
    const keptDims = x.shape.map((_, d) => d).filter((d) => !dims.has(d));
    const keptShape = keptDims.map((d) => x.shape[d]);
    const redShape = attrs.dims.map((d) => x.shape[d]);
    const kept = coalesce(keptShape, [
      contiguousStrides(keptShape),
      keptDims.map((d) => x.strides[d]),
    ]);
    const red = coalesce(redShape, [attrs.dims.map((d) => x.strides[d])]);
    checkRank(op, Math.max(kept.shape.length, red.shape.length), x.shape);
    const outer = sizeOf(keptShape);
    const inner = sizeOf(redShape);
    const buf: GpuBuffer = b.output(spec.dtype, outer);
    if (outer === 0) return outView(buf, spec);
    const tree = inner >= 128 && outer <= 16384;
    const key = `reduce|${op}|${x.dtype}>${spec.dtype}|${tree ? "tree" : "serial"}`;
    const src = () => withMath((tree ? treeSource : serialSource)(op, x.dtype, spec.dtype));
    const pipeline = b.pipelines.get(key, src);
    const meta = new Meta().u(0, outer).u(1, inner).u(2, kept.shape.length);
    meta.u(3, red.shape.length).i(4, x.offset);
    meta.list(8, kept.shape).list(16, kept.strides[1]).list(24, red.shape).list(32, red.strides[0]);
    const groups = tree ? outer : Math.ceil(outer / SERIAL);
    b.engine.dispatch(pipeline, meta.words, [buf, x.buffer as GpuBuffer], groups);
    return outView(buf, spec);
  };
}
