// The CPU backend's kernels on the native path (native.ts): matmul, conv2d's forward pass,
// im2col, col2im, max pooling's window argmax and batch norm run on
// the tensors' own Float32Arrays (no copies into a WebAssembly memory), split across the
// addon's threads as dl.setNumThreads says.
import type { TensorView } from "../../backend.js";
import type { Im2colAttrs, Col2imAttrs, WindowAttrs } from "../../../ops/windows.js";
import type { Conv2dAttrs } from "../../../ops/conv2d.js";
import { arrayOf } from "../buffer.js";
import { threadSettings } from "../wasm/settings.js";
import type { NativeKernels } from "./native.js";
import { record, threadsFor } from "./runs.js";

const gemmParams = new Float64Array(13);
const windowParams = new Float64Array(22);

/**
 * C[cOff ..] = A·B for one [M, K] by [K, N] matrix pair read through the views' last two
 * strides (offsets aOff, bOff); false when B's layout is neither row-major nor transposed
 * (the caller packs it first) or a stride is negative.
 */
export function nativeGemm(
  nk: NativeKernels,
  a: TensorView,
  aOff: number,
  b: TensorView,
  bOff: number,
  C: Float32Array,
  cOff: number,
  [M, K, N]: readonly [number, number, number],
): boolean {
  const nd = a.shape.length;
  const [rsa, csa] = [a.strides[nd - 2], a.strides[nd - 1]];
  const [rsb, csb] = [b.strides[nd - 2], b.strides[nd - 1]];
  const rowMajor = csb === 1 || N === 1;
  const transposed = !rowMajor && (rsb === 1 || K === 1);
  if ((!rowMajor && !transposed) || rsa < 0 || csa < 0 || rsb < 0 || csb < 0) return false;
  const ldb = rowMajor ? (K === 1 ? N : rsb) : csb;
  const threads = threadsFor(M * K * N, threadSettings.minParallelMacs);
  gemmParams.set([aOff, rsa, csa, bOff, ldb, transposed ? 1 : 0, cOff, N, M, K, N, 0, threads]);
  const arrays = [arrayOf(a), arrayOf(b)] as Float32Array[];
  record(threads, nk.gemm(arrays[0], arrays[1], C, gemmParams));
  return true;
}

/** The geometry shared by im2col and col2im, from index 2 of windowParams. */
function setWindows(shape: readonly number[], strides: readonly number[], a: WindowAttrs) {
  windowParams.set([...shape, ...strides], 2);
  windowParams.set([...a.kernel, ...a.stride, ...a.dilation, ...a.padding, ...a.out], 10);
}

/** Elements moved below which one thread lays out the columns. */
const MIN_PARALLEL_WINDOWS = 1 << 17;

/** im2col of a float32 image view into contiguous cols; false for a negative stride. */
export function nativeIm2col(
  nk: NativeKernels,
  x: TensorView,
  a: Im2colAttrs,
  cols: Float32Array,
): boolean {
  if (x.strides.some((s) => s < 0)) return false;
  const threads = threadsFor(cols.length, MIN_PARALLEL_WINDOWS);
  setWindows(x.shape, x.strides, a);
  windowParams[0] = x.offset;
  windowParams[1] = 0;
  windowParams[20] = a.padValue;
  windowParams[21] = threads;
  record(threads, nk.im2col(arrayOf(x) as Float32Array, cols, windowParams));
  return true;
}

/** col2im of contiguous float32 cols (from colsOff) into a contiguous image. */
export function nativeCol2im(
  nk: NativeKernels,
  cols: Float32Array,
  colsOff: number,
  a: Col2imAttrs,
  image: Float32Array,
): void {
  const [N, C, H, W] = a.imageShape;
  const threads = threadsFor(N * C * H * W * a.kernel[0] * a.kernel[1], MIN_PARALLEL_WINDOWS);
  setWindows(a.imageShape, [C * H * W, H * W, W, 1], a);
  windowParams[0] = colsOff;
  windowParams[1] = 0;
  windowParams[20] = 0;
  windowParams[21] = threads;
  record(threads, nk.col2im(cols, image, windowParams));
}

/** windowArgmax of a float32 image view into the contiguous int32 idx; false for a negative stride. */
export function nativeWindowArgmax(
  nk: NativeKernels,
  x: TensorView,
  a: WindowAttrs,
  idx: Int32Array,
): boolean {
  if (x.strides.some((s) => s < 0)) return false;
  const threads = threadsFor(idx.length * a.kernel[0] * a.kernel[1], MIN_PARALLEL_WINDOWS);
  setWindows(x.shape, x.strides, a);
  windowParams[0] = x.offset;
  windowParams[1] = 0;
  windowParams[20] = 0;
  windowParams[21] = threads;
  record(threads, nk.windowArgmax(arrayOf(x) as Float32Array, idx, windowParams));
  return true;
}

/** Channels below which batch norm stays on one thread (elements, all channels together). */
const MIN_PARALLEL_NORM = 1 << 16;

type NormKernel = "channelMoments" | "batchNormTrain" | "batchNormTrainGrad";

/**
 * One of batch norm's kernels on contiguous float32 views: x [N, C, ...S] first, then the
 * statistics, γ and β or g (none for the moments); out is a fresh contiguous array.
 */
export function nativeBatchNorm(
  nk: NativeKernels,
  kernel: NormKernel,
  views: readonly TensorView[],
  eps: number,
  out: Float32Array,
): void {
  const [N, C] = views[0].shape;
  const S = views[0].shape.slice(2).reduce((a, b) => a * b, 1);
  const threads = threadsFor(N * C * S, MIN_PARALLEL_NORM);
  const params = Float64Array.from([...views.map((v) => v.offset), 0, N, C, S, eps, threads]);
  const arrays = views.map((v) => arrayOf(v) as Float32Array);
  const by =
    kernel === "channelMoments"
      ? nk.channelMoments(arrays[0], out, params)
      : nk[kernel](arrays[0], arrays[1], arrays[2], arrays[3], out, params);
  record(threads, by);
}

const convParams = new Float64Array(26);

/** The geometry conv.c reads, from params[at]: x's shape and strides, then the weight's. */
function setConvGeometry(at: number, x: TensorView, w: TensorView, a: Conv2dAttrs): void {
  const [O, , kh, kw] = w.shape;
  convParams.set([...x.shape, ...x.strides, O, a.groups, kh, kw], at);
  convParams.set([...a.stride, ...a.dilation, ...a.padding, ...a.out], at + 12);
}

const convThreads = (x: TensorView, w: TensorView, a: Conv2dAttrs) =>
  threadsFor(
    x.shape[0] * w.shape[0] * a.out[0] * a.out[1] * w.shape[1] * w.shape[2] * w.shape[3],
    threadSettings.minParallelMacs,
  );

/**
 * conv2d's forward pass (ops/conv2d.ts) of the float32 views x (any non-negative strides),
 * the contiguous weight and bias (or null) into the contiguous y; false where the addon
 * predates the kernel or x has a negative stride.
 */
export function nativeConv2d(
  nk: NativeKernels,
  [x, w, bias]: readonly (TensorView | undefined)[],
  a: Conv2dAttrs,
  y: Float32Array,
): boolean {
  if (!nk.conv2d || !x || !w || x.strides.some((s) => s < 0)) return false;
  const threads = convThreads(x, w, a);
  convParams.set([x.offset, w.offset, bias ? bias.offset : -1, 0]);
  setConvGeometry(4, x, w, a);
  convParams[24] = threads;
  const [xs, ws] = [arrayOf(x), arrayOf(w)] as Float32Array[];
  record(threads, nk.conv2d(xs, ws, bias ? (arrayOf(bias) as Float32Array) : ws, y, convParams));
  return true;
}

/**
 * conv2d's backward pass for the contiguous output gradient gy: ∂x (contiguous) from dxAt and
 * ∂w from dwAt in out, each −1 when not wanted; false as for nativeConv2d.
 */
export function nativeConv2dGrad(
  nk: NativeKernels,
  [x, w, gy]: readonly TensorView[],
  a: Conv2dAttrs,
  out: Float32Array,
  [dxAt, dwAt]: readonly [number, number],
): boolean {
  if (!nk.conv2dGrad || x.strides.some((s) => s < 0)) return false;
  const threads = convThreads(x, w, a);
  convParams.set([x.offset, w.offset, gy.offset, dxAt, dwAt]);
  setConvGeometry(5, x, w, a);
  convParams[25] = threads;
  const [xs, ws, gs] = [arrayOf(x), arrayOf(w), arrayOf(gy)] as Float32Array[];
  record(threads, nk.conv2dGrad(xs, ws, gs, out, out, convParams));
  return true;
}
