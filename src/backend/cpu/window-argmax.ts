// windowArgmax on the CPU: for each output element, the first maximum of its window, read
// straight from the (possibly strided) image; the in-image tap range of each window row and
// column is solved once, so the tap loops carry no bounds checks. The native build runs the same
// search in C (kernels/windows.c), threaded by image plane.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { WindowAttrs } from "../../ops/windows.js";
import { sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { nativeKernels } from "./native/native.js";
import { nativeWindowArgmax } from "./native/ops.js";

/** For each window o along one axis: the first and past-the-last in-image tap. */
function tapRanges(a: WindowAttrs, ax: 0 | 1, size: number): Int32Array {
  const r = new Int32Array(2 * a.out[ax]);
  const d = a.dilation[ax];
  for (let o = 0; o < a.out[ax]; o++) {
    const start = o * a.stride[ax] - a.padding[ax];
    let lo = 0;
    while (lo < a.kernel[ax] && start + lo * d < 0) lo++;
    let hi = lo;
    while (hi < a.kernel[ax] && start + hi * d < size) hi++;
    r[2 * o] = lo;
    r[2 * o + 1] = hi;
  }
  return r;
}

/** For each tap column j: the ow range [lo, hi) whose column ow·sw − pl + j·dw is in-image. */
function owRanges(a: WindowAttrs, W: number): Int32Array {
  const r = new Int32Array(2 * a.kernel[1]);
  const [sw, dw, pl, OW] = [a.stride[1], a.dilation[1], a.padding[1], a.out[1]];
  for (let j = 0; j < a.kernel[1]; j++) {
    const shift = j * dw - pl;
    const lo = Math.min(OW, Math.max(0, Math.ceil(-shift / sw)));
    r[2 * j] = lo;
    r[2 * j + 1] = Math.max(lo, Math.min(OW, Math.floor((W - 1 - shift) / sw) + 1));
  }
  return r;
}

export function windowArgmaxKernel(
  _b: unknown,
  [x]: readonly TensorView[],
  a: WindowAttrs,
  out: OutputSpec,
): TensorView {
  const res = newOutput("int32", out.shape, sizeOf(out.shape), false);
  const dst = arrayOf(res) as Int32Array;
  const nk = x.dtype === "float32" && dst.length > 0 ? nativeKernels() : null;
  if (nk && nativeWindowArgmax(nk, x, a, dst)) return res;
  const src = arrayOf(x) as Float32Array;
  const [N, C, H, W] = x.shape;
  const [sN, sC, sH, sW] = x.strides;
  const [OH, OW] = a.out;
  const rows = tapRanges(a, 0, H);
  const cols = owRanges(a, W);
  const best = new Float32Array(OW);
  let p = 0;
  // One output row at a time: each tap (i, j) in row-major order sweeps every window of the
  // row, so the inner loop runs along ow (long, contiguous) rather than over a window's few
  // taps; each window still sees its taps in order, so the first maximum wins.
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let oh = 0; oh < OH; oh++, p += OW) {
        for (let ow = 0; ow < OW; ow++) dst[p + ow] = -1;
        const h0 = oh * a.stride[0] - a.padding[0];
        for (let i = rows[2 * oh]; i < rows[2 * oh + 1]; i++) {
          const h = h0 + i * a.dilation[0];
          const q = x.offset + n * sN + c * sC + h * sH;
          for (let j = 0; j < a.kernel[1]; j++) {
            const w0 = j * a.dilation[1] - a.padding[1];
            const step = a.stride[1];
            sweepTap(src, q, sW, dst, p, best, cols[2 * j], cols[2 * j + 1], w0, step, h * W);
          }
        }
      }
  return res;
}

/** One tap over the windows [lo, hi) of an output row: w = ow·step + w0. */
function sweepTap(
  src: Float32Array,
  q: number,
  sW: number,
  dst: Int32Array,
  p: number,
  best: Float32Array,
  lo: number,
  hi: number,
  w0: number,
  step: number,
  rowIndex: number,
): void {
  for (let ow = lo; ow < hi; ow++) {
    const w = ow * step + w0;
    const v = src[q + w * sW];
    const b = best[ow];
    // The first maximum wins; a NaN wins and stays.
    if (dst[p + ow] < 0 || v > b || (v !== v && b === b)) {
      dst[p + ow] = rowIndex + w;
      best[ow] = v;
    }
  }
}
