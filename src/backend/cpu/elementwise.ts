// Elementwise, copy-like and layout kernels of the CPU backend, all on the loop engine.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import {
  broadcastStrides,
  contiguousStrides,
  isContiguous,
  shapesEqual,
  sizeOf,
} from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runFlat, runFlat2, runLoop, type FlatOperand, type Strided } from "./loops.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { PRIMITIVES } from "../../ops/table.js";

function reader(v: TensorView, shape: readonly number[]): Strided {
  return {
    array: arrayOf(v),
    strides: broadcastStrides(v.shape, v.strides, shape),
    offset: v.offset,
  };
}

function writer(v: TensorView): Strided {
  return { array: arrayOf(v), strides: v.strides, offset: v.offset };
}

/**
 * How an input reads in a flat loop over the output's elements: FULL contiguous in the
 * output's shape, ONE a single value (broadcast unless the output has one element too), NO
 * strided or broadcast along some dims (the loop engine's case).
 */
const FULL = 0;
const ONE = 1;
const NO = 2;

function flatKind(v: TensorView, shape: readonly number[]): number {
  if (sizeOf(v.shape) === 1) return ONE;
  return shapesEqual(v.shape, shape) && isContiguous(v.shape, v.strides) ? FULL : NO;
}

/**
 * The inputs as flat operands when each is contiguous in the output's shape or a single
 * value; null when some input needs the strided loop engine.
 */
function flatOperands(
  inputs: readonly TensorView[],
  shape: readonly number[],
  n: number,
): FlatOperand[] | null {
  const flat: FlatOperand[] = [];
  for (const v of inputs) {
    const kind = flatKind(v, shape);
    if (kind === NO) return null;
    flat.push({ array: arrayOf(v), offset: v.offset, scalar: kind === ONE && n !== 1 });
  }
  return flat;
}

/** Runs a two-input map as a flat loop when both inputs allow it; false otherwise. */
function tryFlat2(
  code: string,
  n: number,
  out: TypedArray,
  a: TensorView,
  b: TensorView,
  shape: readonly number[],
): boolean {
  const ka = flatKind(a, shape);
  if (ka === NO) return false;
  const kb = flatKind(b, shape);
  if (kb === NO) return false;
  const aOne = ka === ONE && n !== 1;
  const bOne = kb === ONE && n !== 1;
  runFlat2(code, n, out, arrayOf(a), a.offset, aOne, arrayOf(b), b.offset, bOne);
  return true;
}

/** A kernel computing `expr` over broadcast inputs into a fresh contiguous output. */
export function mapKernel(expr: string) {
  const boolExpr = `+!!(${expr})`;
  return (
    _b: unknown,
    inputs: readonly TensorView[],
    _attrs: unknown,
    out: OutputSpec,
  ): TensorView => {
    const n = sizeOf(out.shape);
    const res = newOutput(out.dtype, out.shape, n, false);
    // A bool element must hold 0 or 1 (true + true would store 2, and 2 != true); `+!!`
    // makes it so without a branch.
    const code = out.dtype === "bool" ? boolExpr : expr;
    if (inputs.length === 2) {
      if (tryFlat2(code, n, arrayOf(res), inputs[0], inputs[1], out.shape)) return res;
    } else {
      const flat = flatOperands(inputs, out.shape, n);
      if (flat) {
        runFlat(code, n, arrayOf(res), flat);
        return res;
      }
    }
    runLoop(
      code,
      out.shape,
      writer(res),
      inputs.map((v) => reader(v, out.shape)),
    );
    return res;
  };
}

const floatRelu = mapKernel(PRIMITIVES.relu.primitive.cpu);

/**
 * relu on float32 works on the bits, read through Int32Array views: a negative sign bit
 * (-0 and -Infinity included) clears the element unless it is a NaN, which passes through
 * as in PyTorch. Unlike `a <= 0 ? 0 : a` there is no branch to mispredict on mixed-sign
 * activations, which made relu 4x slower than a copy.
 */
export function reluKernel(
  b: unknown,
  inputs: readonly TensorView[],
  attrs: unknown,
  out: OutputSpec,
): TensorView {
  const [x] = inputs;
  if (x.dtype !== "float32" || out.dtype !== "float32") return floatRelu(b, inputs, attrs, out);
  const res = newOutput(out.dtype, out.shape, sizeOf(out.shape), false);
  const bits = (v: TensorView) => {
    const a = arrayOf(v);
    return new Int32Array(a.buffer, a.byteOffset, a.length);
  };
  runLoop(
    "a & -(+(a >= 0) | +((a & 0x7fffffff) > 0x7f800000))",
    out.shape,
    { array: bits(res), strides: res.strides, offset: res.offset },
    [
      {
        array: bits(x),
        strides: broadcastStrides(x.shape, x.strides, out.shape),
        offset: x.offset,
      },
    ],
  );
  return res;
}

export function castKernel(
  _b: unknown,
  [x]: readonly TensorView[],
  _a: unknown,
  out: OutputSpec,
): TensorView {
  // NaN casts to true, as in PyTorch; float to int truncates toward zero.
  const expr =
    out.dtype === "bool"
      ? "(a !== 0 ? 1 : 0)"
      : out.dtype === "int32" && x.dtype === "float32"
        ? "Math.trunc(a)"
        : "a";
  return mapKernel(expr)(_b, [x], _a, out);
}

/** Concatenation: each input is copied into its slab of the output along `dim`. */
export function catKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  attrs: { dim: number },
  out: OutputSpec,
): TensorView {
  const res = newOutput(out.dtype, out.shape, sizeOf(out.shape), false);
  const strides = contiguousStrides(out.shape);
  let start = 0;
  for (const v of inputs) {
    const dst: Strided = { array: arrayOf(res), strides, offset: start * strides[attrs.dim] };
    runLoop("a", v.shape, dst, [reader(v, v.shape)]);
    start += v.shape[attrs.dim];
  }
  return res;
}

export interface UnsliceAttrs {
  /** Shape of the tensor that was sliced (the output shape). */
  shape: number[];
  starts: number[];
  steps: number[];
}

/** The adjoint of a strided slice: zeros of the sliced tensor's shape with `g` placed back. */
export function unsliceKernel(
  _b: unknown,
  [g]: readonly TensorView[],
  attrs: UnsliceAttrs,
  out: OutputSpec,
): TensorView {
  const res = newOutput(out.dtype, out.shape, sizeOf(out.shape));
  const base = contiguousStrides(out.shape);
  const offset = attrs.starts.reduce((o, s, d) => o + s * base[d], 0);
  const dst: Strided = {
    array: arrayOf(res),
    strides: base.map((s, d) => s * attrs.steps[d]),
    offset,
  };
  runLoop("a", g.shape, dst, [reader(g, g.shape)]);
  return res;
}
