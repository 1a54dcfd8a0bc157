// Sums on the native path (../kernels/reduce.c): a contiguous float32 tensor over consecutive
// dims, or over leading and trailing dims around kept ones (a per-channel sum over
// [N, C, H, W]), split across the addon's threads; other views and dims are copied contiguous
// first (copy.ts), summed dims last. Sums add in float64 as the loop engine does, in another
// order, so results may differ from it in the last bit.
import type { TensorView } from "../../backend.js";
import type { OutputSpec } from "../../registry.js";
import { isContiguous, sizeOf, spanOf } from "../../../tensor/shape.js";
import { arrayOf, newOutput } from "../buffer.js";
import { giveArray } from "../pool.js";
import type { NativeKernels } from "./native.js";
import { MIN_COPIED_OPERANDS, nativeContiguous } from "./copy.js";
import { elementThreads, MIN_NATIVE_ELEMENTS, record } from "./runs.js";

const sumParams = new Float64Array(7);

/**
 * [groups, outer, R, inner] of a contiguous x summed over `dims` when they are consecutive
 * (groups 1: x [outer, R, inner] over R) or leading and trailing with kept dims between
 * (inner 1: a per-channel sum over [N, C, H, W]); null for other dims.
 */
export function sumLayout(shape: readonly number[], dims: readonly number[]): number[] | null {
  const nd = shape.length;
  const sorted = [...dims].sort((p, q) => p - q);
  const [first, last] = [sorted[0], sorted[sorted.length - 1]];
  if (last - first === sorted.length - 1)
    return [1, spanOf(shape, 0, first), spanOf(shape, first, last + 1), spanOf(shape, last + 1)];
  // Leading 0..k-1 and trailing m..nd-1.
  let k = 0;
  while (sorted[k] === k) k++;
  const m = nd - (sorted.length - k);
  if (k === 0 || sorted[k] !== m || last !== nd - 1) return null;
  return [spanOf(shape, 0, k), spanOf(shape, k, m), spanOf(shape, m), 1];
}

/** The sum of a contiguous float32 x over dims (sumLayout's patterns), in float64 blocks. */
export function nativeSum(
  nk: NativeKernels,
  x: TensorView,
  dims: readonly number[],
  out: OutputSpec,
): TensorView | null {
  const n = sizeOf(x.shape);
  if (n < MIN_NATIVE_ELEMENTS || x.dtype !== "float32" || out.dtype !== "float32") return null;
  if (dims.length === 0 || !isContiguous(x.shape, x.strides)) return null;
  const layout = sumLayout(x.shape, dims);
  if (!layout) return null;
  const [groups, outer, R, inner] = layout;
  const res = newOutput("float32", out.shape, outer * inner, false);
  const threads = elementThreads(n);
  sumParams.set([x.offset, 0, groups * outer, R, inner, threads, groups]);
  record(threads, nk.sum(arrayOf(x) as Float32Array, arrayOf(res) as Float32Array, sumParams));
  return res;
}

/**
 * A sum no sum pattern reads (a strided view, or dims neither consecutive nor leading and
 * trailing, as average pooling's [N, C, OH, kh, OW, kw] over kh and kw): copied contiguous
 * first, with the summed dims moved last when they are not a pattern, then nativeSum.
 */
export function sumOfCopy(
  nk: NativeKernels,
  x: TensorView,
  dims: readonly number[],
  out: OutputSpec,
): TensorView | null {
  if (x.dtype !== "float32" || out.dtype !== "float32" || dims.length === 0) return null;
  if (sizeOf(x.shape) < MIN_COPIED_OPERANDS) return null;
  let view = x;
  let summed = dims;
  if (!sumLayout(x.shape, dims)) {
    // Kept dims in order, then the summed ones: the output's elements keep their order.
    const order = [...x.shape.keys()].filter((d) => !dims.includes(d));
    const kept = order.length;
    order.push(...[...dims].sort((p, q) => p - q));
    view = { ...x, shape: order.map((d) => x.shape[d]), strides: order.map((d) => x.strides[d]) };
    summed = order.slice(kept).map((_, k) => kept + k);
  }
  const copy = nativeContiguous(nk, view, view.shape);
  if (!copy) return null;
  const res = nativeSum(nk, copy, summed, out);
  giveArray("float32", arrayOf(copy));
  return res;
}
