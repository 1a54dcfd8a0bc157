// The CPU backend's elementwise ops on the native path (../kernels/elementwise.c; sums in
// sums.ts): float32 operands that are contiguous, single values, or a contiguous row or column
// broadcast over the rest (a bias add, x - max(x, -1, keepdim)), split across the addon's
// threads above threadSettings.minParallelElements. Anything else (other dtypes, strided
// views, other broadcasts, the portable path) returns null and the loop engine runs it.
// +, -, ×, ÷, max, min, √, the relu ops, leakyRelu, exp, tanh, sigmoid, the comparisons (a
// bool output) and where (a bool condition choosing between float32 values) give bitwise the
// JavaScript kernels' results.
import type { TensorView } from "../../backend.js";
import type { Kernel, OutputSpec } from "../../registry.js";
import { isContiguous, shapesEqual, sizeOf } from "../../../tensor/shape.js";
import { arrayOf, newOutput } from "../buffer.js";
import { giveArray } from "../pool.js";
import { nativeKernels, type NativeKernels } from "./native.js";
import { MIN_COPIED_OPERANDS, nativeContiguous } from "./copy.js";
import { elementThreads, MIN_NATIVE_ELEMENTS, record } from "./runs.js";
import { nativeSum, sumOfCopy } from "./sums.js";
import { deferredStep } from "./chains.js";
import { NATIVE_EXTREMES, nativeExtreme } from "./extremes.js";
import { operandLayout, type Layout } from "./operand-layout.js";

/** Binary ops with a native kernel: their code in elementwise.h's first enum. */
const NATIVE_BINARY: Readonly<Record<string, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  leakyRelu: 7,
};
/** Fused expressions (fusedMap) with a native kernel, by their CPU expression. */
const NATIVE_FUSED: Readonly<Record<string, number>> = { "a * +(b > 0)": 6 };
/** Comparisons with a native kernel (float32 operands, a bool output): elementwise.h's codes. */
const NATIVE_COMPARE: Readonly<Record<string, number>> = {
  gt: 0,
  lt: 1,
  ge: 2,
  le: 3,
  eq: 4,
  ne: 5,
};
/** Unary ops with a native kernel: their code in elementwise.h's second enum. */
const NATIVE_UNARY: Readonly<Record<string, number>> = {
  relu: 0,
  neg: 1,
  abs: 2,
  sqrt: 3,
  exp: 4,
  tanh: 5,
  sigmoid: 6,
};

const binaryParams = new Float64Array(11);
const unaryParams = new Float64Array(5);

/** [so, si] of a layout for rows of `inner` elements. */
function steps(l: Layout, inner: number): [number, number] {
  return l.kind === "full"
    ? [inner, 1]
    : l.kind === "one"
      ? [0, 0]
      : l.kind === "row"
        ? [0, 1]
        : [1, 0];
}

function nativeBinary(
  nk: NativeKernels,
  op: number,
  [a, b]: readonly TensorView[],
  out: OutputSpec,
  compare = false,
): TensorView | null {
  const n = sizeOf(out.shape);
  if (n < MIN_NATIVE_ELEMENTS || out.dtype !== (compare ? "bool" : "float32")) return null;
  if (compare && !nk.compare) return null;
  const la = operandLayout(a, out.shape);
  const lb = la && operandLayout(b, out.shape);
  if (!la || !lb) return null;
  const inner = la.inner || lb.inner || n;
  if (la.inner && lb.inner && la.inner !== lb.inner) return null;
  const res = newOutput(out.dtype, out.shape, n, false);
  const threads = elementThreads(n);
  binaryParams.set([op, a.offset, ...steps(la, inner), b.offset, ...steps(lb, inner)]);
  binaryParams.set([0, n / inner, inner, threads], 7);
  const [x, y] = [arrayOf(a), arrayOf(b)] as Float32Array[];
  const chunks = compare
    ? nk.compare!(x, y, arrayOf(res) as Uint8Array, binaryParams)
    : nk.binary(x, y, arrayOf(res) as Float32Array, binaryParams);
  record(threads, chunks);
  return res;
}

const whereParams = new Float64Array(13);

/** cond ? a : b for a bool condition and float32 values, each in a kernel pattern. */
function nativeWhere(
  nk: NativeKernels,
  [c, a, b]: readonly TensorView[],
  out: OutputSpec,
): TensorView | null {
  const n = sizeOf(out.shape);
  if (!nk.where || n < MIN_NATIVE_ELEMENTS || out.dtype !== "float32") return null;
  const lc = operandLayout(c, out.shape, "bool");
  const la = lc && operandLayout(a, out.shape);
  const lb = la && operandLayout(b, out.shape);
  if (!lc || !la || !lb) return null;
  const inners = [lc.inner, la.inner, lb.inner].filter((i) => i > 0);
  if (inners.some((i) => i !== inners[0])) return null;
  const inner = inners[0] ?? n;
  const res = newOutput("float32", out.shape, n, false);
  const threads = elementThreads(n);
  whereParams.set([c.offset, ...steps(lc, inner), a.offset, ...steps(la, inner)]);
  whereParams.set([b.offset, ...steps(lb, inner), 0, n / inner, inner, threads], 6);
  const [cond, x, y] = [arrayOf(c) as Uint8Array, arrayOf(a), arrayOf(b)] as const;
  record(
    threads,
    nk.where(cond, x as Float32Array, y as Float32Array, arrayOf(res) as Float32Array, whereParams),
  );
  return res;
}

function nativeUnary(
  nk: NativeKernels,
  op: number,
  x: TensorView,
  out: OutputSpec,
): TensorView | null {
  const n = sizeOf(out.shape);
  if (n < MIN_NATIVE_ELEMENTS || out.dtype !== "float32" || x.dtype !== "float32") return null;
  if (!shapesEqual(x.shape, out.shape) || !isContiguous(x.shape, x.strides)) return null;
  const res = newOutput("float32", out.shape, n, false);
  const threads = elementThreads(n);
  unaryParams.set([op, x.offset, 0, n, threads]);
  record(threads, nk.unary(arrayOf(x) as Float32Array, arrayOf(res) as Float32Array, unaryParams));
  return res;
}

/** A binary op whose operands include one no pattern reads: that one copied contiguous first. */
function binaryOfCopies(
  nk: NativeKernels,
  op: number,
  inputs: readonly TensorView[],
  out: OutputSpec,
): TensorView | null {
  if (out.dtype !== "float32" || sizeOf(out.shape) < MIN_COPIED_OPERANDS) return null;
  const copies: TensorView[] = [];
  const operands = inputs.map((v) => {
    if (operandLayout(v, out.shape) || v.dtype !== "float32") return v;
    const copy = nativeContiguous(nk, v, out.shape);
    if (copy) copies.push(copy);
    return copy ?? v;
  });
  const res = copies.length ? nativeBinary(nk, op, operands, out) : null;
  for (const copy of copies) giveArray("float32", arrayOf(copy));
  return res;
}

/**
 * `op`'s kernel with the native one first where it has one: the kernel table's single
 * dispatch point, so the elementwise files stay free of native checks. `fallback` runs what
 * the native kernels do not take, and everything on the portable path.
 */
export function withNative(op: string, fallback: Kernel): Kernel {
  const unary = NATIVE_UNARY[op];
  const binary = NATIVE_BINARY[op];
  if (op === "sum")
    return (b, inputs, attrs: { dims: number[] }, out) => {
      const nk = nativeKernels();
      const x = inputs[0];
      const res = nk && (nativeSum(nk, x, attrs.dims, out) ?? sumOfCopy(nk, x, attrs.dims, out));
      return res ?? fallback(b, inputs, attrs, out);
    };
  if (NATIVE_EXTREMES[op] !== undefined)
    return (b, inputs, attrs: { dims: number[] }, out) => {
      const nk = nativeKernels();
      const res = nk && nativeExtreme(nk, op, inputs[0], attrs.dims, out);
      return res ?? fallback(b, inputs, attrs, out);
    };
  const comparison = NATIVE_COMPARE[op];
  if (comparison !== undefined)
    return (b, inputs, attrs, out) => {
      const nk = nativeKernels();
      return (
        (nk && nativeBinary(nk, comparison, inputs, out, true)) ?? fallback(b, inputs, attrs, out)
      );
    };
  if (op === "where")
    return (b, inputs, attrs, out) => {
      const nk = nativeKernels();
      return (nk && nativeWhere(nk, inputs, out)) ?? fallback(b, inputs, attrs, out);
    };
  if (op === "fusedMap")
    return (b, inputs, attrs: { cpu: string }, out) => {
      const nk = nativeKernels();
      const code = NATIVE_FUSED[attrs.cpu];
      const r =
        nk && code !== undefined && inputs.length === 2 && nativeBinary(nk, code, inputs, out);
      return r || fallback(b, inputs, attrs, out);
    };
  if (unary !== undefined)
    return (b, inputs, attrs, out) => {
      const nk = nativeKernels();
      const res =
        nk &&
        (deferredStep(nk, unary, true, inputs, out) ?? nativeUnary(nk, unary, inputs[0], out));
      return res ?? fallback(b, inputs, attrs, out);
    };
  if (binary !== undefined)
    return (b, inputs, attrs, out) => {
      const nk = nativeKernels();
      const res =
        nk &&
        (deferredStep(nk, binary, false, inputs, out) ??
          nativeBinary(nk, binary, inputs, out) ??
          binaryOfCopies(nk, binary, inputs, out));
      return res ?? fallback(b, inputs, attrs, out);
    };
  return fallback;
}
