// The fused cross-entropy kernels (ops/cross-entropy.ts has the maths): each row of logits is
// read once for its max, once for Σ e^(x − max) (and the weighted sums smoothing needs),
// and the backward writes softmax − target in one more pass. Sums run in float64.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { CrossEntropyAttrs } from "../../ops/cross-entropy.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { expf } from "./special.js";

interface Row {
  /** log Σ e^x over the row. */
  lse: number;
  /** Σ_c w_c (only computed with smoothing). */
  weightSum: number;
  /** Σ_c w_c·x_c (only computed with smoothing). */
  weightedLogits: number;
}

function rowStats(
  x: ArrayLike<number>,
  w: ArrayLike<number>,
  at: number,
  c: number,
  smooth: boolean,
): Row {
  let max = -Infinity;
  for (let j = 0; j < c; j++) if (x[at + j] > max) max = x[at + j];
  // A row of -Infinity (or +Infinity) keeps PyTorch's NaN/inf results: shift by 0 there.
  const shift = Number.isFinite(max) ? max : 0;
  let s = 0;
  for (let j = 0; j < c; j++) s += expf(x[at + j] - shift);
  let weightSum = 0;
  let weightedLogits = 0;
  if (smooth)
    for (let j = 0; j < c; j++) {
      weightSum += w[j];
      weightedLogits += w[j] * x[at + j];
    }
  return { lse: shift + Math.log(s), weightSum, weightedLogits };
}

/**
 * Writes e^(x − max) of a row into `out` and returns their sum: the backward's one exp per
 * element (it then scales the row in place).
 */
function expInto(x: TypedArray, at: number, out: TypedArray, row: number, c: number): number {
  let max = -Infinity;
  for (let j = 0; j < c; j++) if (x[at + j] > max) max = x[at + j];
  const shift = Number.isFinite(max) ? max : 0;
  let s = 0;
  for (let j = 0; j < c; j++) {
    const e = expf(x[at + j] - shift);
    out[row + j] = e;
    s += e;
  }
  return s;
}

/** out[row + j] = coef·out[row + j] − spread·w[j] over a row. */
function scaleRow(
  out: TypedArray,
  row: number,
  c: number,
  coef: number,
  spread: number,
  w: TypedArray,
): void {
  for (let j = 0; j < c; j++) out[row + j] = coef * out[row + j] - spread * w[j];
}

export function crossEntropyKernel(
  _b: unknown,
  [xv, tv, wv]: readonly TensorView[],
  attrs: CrossEntropyAttrs,
  out: OutputSpec,
): TensorView {
  const [n, c] = xv.shape;
  const [x, t] = [arrayOf(xv), arrayOf(tv)];
  const w = arrayOf(wv).subarray(wv.offset, wv.offset + c);
  const res = newOutput(out.dtype, out.shape, n, false);
  const loss = arrayOf(res);
  const eps = attrs.smoothing;
  for (let i = 0; i < n; i++) {
    const target = t[tv.offset + i];
    if (target === attrs.ignoreIndex) {
      loss[i] = 0;
      continue;
    }
    const at = xv.offset + i * c;
    const r = rowStats(x, w, at, c, eps > 0);
    const wt = w[target];
    let value = (1 - eps) * wt * (r.lse - x[at + target]);
    if (eps > 0) value += (eps / c) * (r.lse * r.weightSum - r.weightedLogits);
    loss[i] = value;
  }
  return res;
}

export function crossEntropyGradKernel(
  _b: unknown,
  [xv, tv, wv, gv]: readonly TensorView[],
  attrs: CrossEntropyAttrs,
  out: OutputSpec,
): TensorView {
  const [n, c] = xv.shape;
  const [x, t, g] = [arrayOf(xv), arrayOf(tv), arrayOf(gv)];
  const w = arrayOf(wv).subarray(wv.offset, wv.offset + c);
  const res = newOutput(out.dtype, out.shape, n * c, false);
  const dx = arrayOf(res);
  const eps = attrs.smoothing;
  let weightSum = 0;
  for (let j = 0; j < c; j++) weightSum += w[j];
  for (let i = 0; i < n; i++) {
    const target = t[tv.offset + i];
    const row = i * c;
    const gi = g[gv.offset + i];
    if (target === attrs.ignoreIndex) {
      dx.fill(0, row, row + c);
      continue;
    }
    const at = xv.offset + row;
    const s = expInto(x, at, dx, row, c);
    const hard = (1 - eps) * w[target];
    const coef = (gi * (hard + (eps / c) * weightSum)) / s;
    const spread = (gi * eps) / c;
    scaleRow(dx, row, c, coef, spread, w);
    dx[row + target] -= gi * hard;
  }
  return res;
}
