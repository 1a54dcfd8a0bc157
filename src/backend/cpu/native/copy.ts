// The copy op on the native path (native/copy.c): a strided or broadcast float32 / int32 view
// written into a fresh contiguous array by the addon's threads, instead of the loop engine's
// per-element index arithmetic (contiguous() of a permuted view, a transpose's gradient, the
// reshape of a non-contiguous tensor). Also the step that lets sums and binary ops take
// operands no kernel pattern fits: copied contiguous first, then the native kernel.
import type { TensorView } from "../../backend.js";
import type { Kernel } from "../../registry.js";
import { sizeOf } from "../../../tensor/shape.js";
import { arrayOf, newOutput } from "../buffer.js";
import { nativeKernels, type NativeKernels } from "./native.js";
import { elementThreads, MIN_NATIVE_ELEMENTS, record } from "./runs.js";

/**
 * Outputs from which an operand no kernel pattern reads (a strided view, another broadcast)
 * is copied contiguous by the native copy, then the native kernel runs (sums.ts,
 * elementwise.ts): two passes in C cost less than the loop engine's per-element index
 * arithmetic (a transposed gradient's sum, a residual added to a permuted view).
 */
export const MIN_COPIED_OPERANDS = 1024;
/** The most dims the C kernel takes after collapsing. */
const MAX_DIMS = 8;

/**
 * v's element strides seen over `shape` (v broadcasts to it: missing and size-1 dims read
 * stride 0), with size-1 dims dropped and dims that run into each other merged; null when a
 * stride is negative or more than MAX_DIMS dims remain.
 */
export function copyLayout(
  v: TensorView,
  shape: readonly number[],
): { shape: number[]; strides: number[] } | null {
  const lead = shape.length - v.shape.length;
  const dims: number[] = [];
  const strides: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const own = d - lead;
    const stride = own < 0 || v.shape[own] === 1 ? 0 : v.strides[own];
    if (stride < 0) return null;
    const last = dims.length - 1;
    if (last >= 0 && strides[last] === stride * shape[d]) {
      dims[last] *= shape[d];
      strides[last] = stride;
    } else {
      dims.push(shape[d]);
      strides.push(stride);
    }
  }
  if (!dims.length) return { shape: [1], strides: [0] };
  return dims.length <= MAX_DIMS ? { shape: dims, strides } : null;
}

/** [srcOffset, outOffset, nd, shape, strides, threads]: the prefix a call uses. */
const params = new Float64Array(4 + 2 * MAX_DIMS);

/** v broadcast to `shape`, contiguous in a fresh array; null when the addon cannot. */
export function nativeContiguous(
  nk: NativeKernels,
  v: TensorView,
  shape: readonly number[],
): TensorView | null {
  const n = sizeOf(shape);
  if (!nk.stridedCopy || n < MIN_NATIVE_ELEMENTS) return null;
  if (v.dtype !== "float32" && v.dtype !== "int32") return null;
  const layout = copyLayout(v, shape);
  if (!layout) return null;
  const nd = layout.shape.length;
  const threads = elementThreads(n);
  params.set([v.offset, 0, nd, ...layout.shape, ...layout.strides, threads]);
  const res = newOutput(v.dtype, shape, n, false);
  const src = arrayOf(v) as Float32Array | Int32Array;
  record(threads, nk.stridedCopy(src, arrayOf(res) as Float32Array | Int32Array, params));
  return res;
}

/** The copy kernel with the native copy first (the loop engine runs what it does not take). */
export function withNativeCopy(fallback: Kernel): Kernel {
  return (b, inputs, attrs, out) => {
    const nk = nativeKernels();
    if (nk && out.dtype === inputs[0].dtype) {
      const res = nativeContiguous(nk, inputs[0], out.shape);
      if (res) return res;
    }
    return fallback(b, inputs, attrs, out);
  };
}
