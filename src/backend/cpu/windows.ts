// im2col and col2im on the CPU: one pass over the columns, a row of OW windows at a time.
// For each kernel column the in-image range of ow is solved once, so the inner loops carry
// no bounds checks; the image may be any strided view (the columns are written contiguously).
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { Im2colAttrs, WindowAttrs, Col2imAttrs } from "../../ops/windows.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { contiguousStrides, sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";
import { giveArray, takeArray } from "./pool.js";
import { nativeKernels } from "./native/native.js";
import { nativeCol2im, nativeIm2col } from "./native/ops.js";

/** The ow range [lo, hi) whose column w = ow·sw − pl + j·dw lies inside [0, W). */
function inRange(j: number, a: WindowAttrs, W: number): [number, number] {
  const shift = j * a.dilation[1] - a.padding[1];
  const sw = a.stride[1];
  const lo = Math.min(a.out[1], Math.max(0, Math.ceil(-shift / sw)));
  const hi = Math.max(lo, Math.min(a.out[1], Math.floor((W - 1 - shift) / sw) + 1));
  return [lo, hi];
}

export function im2colKernel(
  _b: unknown,
  [x]: readonly TensorView[],
  a: Im2colAttrs,
  out: OutputSpec,
): TensorView {
  const res = newOutput(out.dtype, out.shape, sizeOf(out.shape), false);
  const dst = arrayOf(res);
  const nk = x.dtype === "float32" ? nativeKernels() : null;
  if (nk && nativeIm2col(nk, x, a, dst as Float32Array)) return res;
  im2colInto(x, a, dst, 0);
  return res;
}

/** x's windows as im2col's columns [C, kh, kw, N, OH, OW], written into dst from `at`. */
export function im2colInto(x: TensorView, a: Im2colAttrs, dst: TypedArray, at: number): void {
  const [N, C, H, W] = x.shape;
  const [sN, sC, sH, sW] = x.strides;
  let p = at;
  for (let c = 0; c < C; c++)
    for (let i = 0; i < a.kernel[0]; i++)
      for (let j = 0; j < a.kernel[1]; j++) {
        const [lo, hi] = inRange(j, a, W);
        const h0 = i * a.dilation[0] - a.padding[0];
        const w0 = lo * a.stride[1] + j * a.dilation[1] - a.padding[1];
        const base = x.offset + c * sC + h0 * sH + w0 * sW;
        for (let n = 0; n < N; n++, p += a.out[0] * a.out[1])
          copyWindowRows(arrayOf(x), base + n * sN, dst, p, a, H, h0, sH, sW, lo, hi);
      }
}

/**
 * The OH rows of OW columns one kernel tap (i, j) sees in one image, from `q0` (the source
 * offset of row oh = 0, column lo) into dst at p. Rows and columns outside the image take
 * the pad value: the output may be a reused array, so they are always written.
 */
function copyWindowRows(
  src: TypedArray,
  q0: number,
  dst: TypedArray,
  p: number,
  a: Im2colAttrs,
  H: number,
  h0: number,
  sH: number,
  sW: number,
  lo: number,
  hi: number,
): void {
  const [OH, OW] = a.out;
  const pad = a.padValue;
  const sh = a.stride[0];
  const step = a.stride[1] * sW;
  const len = hi - lo;
  for (let oh = 0; oh < OH; oh++, p += OW) {
    const h = oh * sh + h0;
    if (h < 0 || h >= H) {
      dst.fill(pad, p, p + OW);
      continue;
    }
    // The edge runs are a column or two: a loop, as a fill() call per row costs more.
    for (let t = p; t < p + lo; t++) dst[t] = pad;
    for (let t = p + hi; t < p + OW; t++) dst[t] = pad;
    const q = q0 + oh * sh * sH;
    const d = p + lo;
    if (step === 1) for (let t = 0; t < len; t++) dst[d + t] = src[q + t];
    else for (let t = 0; t < len; t++) dst[d + t] = src[q + t * step];
  }
}

export function col2imKernel(
  _b: unknown,
  [cols]: readonly TensorView[],
  a: Col2imAttrs,
  out: OutputSpec,
): TensorView {
  const nk = cols.dtype === "float32" ? nativeKernels() : null;
  // The native kernel writes every element; this loop adds into zeros.
  const res = newOutput(out.dtype, out.shape, sizeOf(out.shape), !nk);
  const dst = arrayOf(res);
  // Contiguous columns are read directly; any other layout is first packed by one copy.
  const [g, packed] = contiguousColumns(cols);
  if (nk) nativeCol2im(nk, g as Float32Array, 0, a, dst as Float32Array);
  else col2imInto(g, a, dst, 0);
  if (packed) giveArray(cols.dtype, g);
  return res;
}

/**
 * Adds contiguous columns g [C, kh, kw, N, OH, OW] into the image a.imageShape laid out in dst
 * from `at` (zeroed by the caller): each element the sum of the taps that read it.
 */
export function col2imInto(g: TypedArray, a: Col2imAttrs, dst: TypedArray, at: number): void {
  const [N, C, H, W] = a.imageShape;
  const [OH, OW] = a.out;
  const sh = a.stride[0];
  let p = 0;
  for (let c = 0; c < C; c++)
    for (let i = 0; i < a.kernel[0]; i++) {
      const h0 = i * a.dilation[0] - a.padding[0];
      // The oh range whose row h = oh·sh + h0 lies inside [0, H).
      const ohLo = Math.min(OH, Math.max(0, Math.ceil(-h0 / sh)));
      const ohHi = Math.max(ohLo, Math.min(OH, Math.floor((H - 1 - h0) / sh) + 1));
      for (let j = 0; j < a.kernel[1]; j++) {
        const [lo, hi] = inRange(j, a, W);
        const w0 = lo * a.stride[1] + j * a.dilation[1] - a.padding[1];
        const rows: TapRows = { ohLo, ohHi, lo, len: hi - lo, rowStep: sh * W };
        for (let n = 0; n < N; n++, p += OH * OW)
          addWindowRows(g, p, dst, at + ((n * C + c) * H + h0) * W + w0, a, rows);
      }
    }
}

/** The in-image part of one kernel tap's window rows: oh in [ohLo, ohHi), ow in [lo, lo+len). */
interface TapRows {
  ohLo: number;
  ohHi: number;
  lo: number;
  len: number;
  /** Image offset between consecutive oh. */
  rowStep: number;
}

/** Adds one tap's columns for one image (from p) into the image at q0 (row oh = 0, col lo). */
function addWindowRows(
  g: TypedArray,
  p: number,
  dst: TypedArray,
  q0: number,
  a: Col2imAttrs,
  r: TapRows,
): void {
  const OW = a.out[1];
  const sw = a.stride[1];
  const len = r.len;
  for (let oh = r.ohLo; oh < r.ohHi; oh++) {
    const s = p + oh * OW + r.lo;
    const q = q0 + oh * r.rowStep;
    if (sw === 1) for (let t = 0; t < len; t++) dst[q + t] += g[s + t];
    else for (let t = 0; t < len; t++) dst[q + t * sw] += g[s + t];
  }
}

/** The columns as one contiguous run, and whether that is a packed copy (a pooled temporary). */
function contiguousColumns(v: TensorView): [TypedArray, boolean] {
  const src = arrayOf(v);
  const n = sizeOf(v.shape);
  const strides = contiguousStrides(v.shape);
  if (v.shape.every((d, k) => d === 1 || v.strides[k] === strides[k]))
    return [v.offset === 0 ? src : src.subarray(v.offset, v.offset + n), false];
  const packed = takeArray(v.dtype, n, false);
  runLoop("a", v.shape, { array: packed, strides, offset: 0 }, [
    { array: src, strides: v.strides, offset: v.offset },
  ]);
  return [packed, true];
}
