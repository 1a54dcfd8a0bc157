// The fused batch-norm kernels on the CPU (ops/batch-norm.ts has the maths). x [N, C, ...S]
// is contiguous, so channel c of sample n is the run of S values from (n·C + c)·S; every
// per-channel sum is accumulated in float64 over those runs. The native build runs the same
// arithmetic in C (kernels/norm.c, bitwise equal), split across threads by channel.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { BatchNormAttrs } from "../../ops/batch-norm.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { nativeKernels } from "./native/native.js";
import { nativeBatchNorm } from "./native/ops.js";

/** The layout every kernel walks: N samples, C channels, runs of S. */
function layout(x: TensorView) {
  const [N, C] = x.shape;
  const S = x.shape.slice(2).reduce((a, b) => a * b, 1);
  return { N, C, S, n: N * S };
}

const values = (v: TensorView, n: number): TypedArray =>
  arrayOf(v).subarray(v.offset, v.offset + n);

// The loops below are written out per sum: a callback per element would be a closure call V8
// cannot inline once several share one helper.

export function channelMomentsKernel(
  _b: unknown,
  [xv]: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const { N, C, S, n } = layout(xv);
  const res = newOutput(out.dtype, out.shape, 2 * C, false);
  const o = arrayOf(res);
  const nk = N * C * S > 0 ? nativeKernels() : null;
  if (nk) {
    nativeBatchNorm(nk, "channelMoments", [xv], 0, o as Float32Array);
    return res;
  }
  const x = values(xv, N * C * S);
  for (let c = 0; c < C; c++) {
    let sx = 0;
    for (let s0 = c * S, i = 0; i < N; i++, s0 += C * S)
      for (let k = s0; k < s0 + S; k++) sx += x[k];
    const mu = sx / n;
    // Two passes: Σ(x − μ)² keeps its precision where Σx² − nμ² would cancel.
    let sd = 0;
    for (let s0 = c * S, i = 0; i < N; i++, s0 += C * S)
      for (let k = s0; k < s0 + S; k++) sd += (x[k] - mu) * (x[k] - mu);
    o[c] = mu;
    o[C + c] = sd / n;
  }
  return res;
}

/** Per channel: the mean and 1/√(σ² + ε), in float64 from the float32 statistics. */
function scales(stats: TypedArray, C: number, eps: number) {
  const mean = new Float64Array(C);
  const inv = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    mean[c] = stats[c];
    inv[c] = 1 / Math.sqrt(stats[C + c] + eps);
  }
  return { mean, inv };
}

export function batchNormTrainKernel(
  _b: unknown,
  [xv, sv, wv, bv]: readonly TensorView[],
  a: BatchNormAttrs,
  out: OutputSpec,
): TensorView {
  const { N, C, S } = layout(xv);
  const res = newOutput(out.dtype, out.shape, N * C * S, false);
  const y = arrayOf(res);
  const nk = N * C * S > 0 ? nativeKernels() : null;
  if (nk) {
    nativeBatchNorm(nk, "batchNormTrain", [xv, sv, wv, bv], a.eps, y as Float32Array);
    return res;
  }
  const x = values(xv, N * C * S);
  const [w, b] = [values(wv, C), values(bv, C)];
  const { mean, inv } = scales(values(sv, 2 * C), C, a.eps);
  for (let i = 0; i < N; i++)
    for (let c = 0; c < C; c++) {
      const [mu, scale, shift] = [mean[c], inv[c] * w[c], b[c]];
      const s0 = (i * C + c) * S;
      for (let k = s0; k < s0 + S; k++) y[k] = (x[k] - mu) * scale + shift;
    }
  return res;
}

export function batchNormTrainGradKernel(
  _b: unknown,
  [xv, sv, wv, gv]: readonly TensorView[],
  a: BatchNormAttrs,
  out: OutputSpec,
): TensorView {
  const { N, C, S, n } = layout(xv);
  const size = N * C * S;
  const res = newOutput(out.dtype, out.shape, size + 2 * C, false);
  const d = arrayOf(res);
  const nk = size > 0 ? nativeKernels() : null;
  if (nk) {
    nativeBatchNorm(nk, "batchNormTrainGrad", [xv, sv, wv, gv], a.eps, d as Float32Array);
    return res;
  }
  const [x, g, w] = [values(xv, size), values(gv, size), values(wv, C)];
  const { mean, inv } = scales(values(sv, 2 * C), C, a.eps);
  for (let c = 0; c < C; c++) {
    const [mu, s] = [mean[c], inv[c]];
    let [sg, sgc] = [0, 0];
    for (let s0 = c * S, i = 0; i < N; i++, s0 += C * S)
      for (let k = s0; k < s0 + S; k++) {
        sg += g[k];
        sgc += g[k] * (x[k] - mu);
      }
    const sgx = sgc * s;
    // ∂x = γ·s/n · (n·g − Σg − x̂·Σ(g·x̂)) with x̂ = (x − μ)·s, as a·g + b·x + k per element.
    const scale = (w[c] * s) / n;
    const [ag, ax] = [scale * n, -scale * sgx * s];
    const k0 = -scale * sg - ax * mu;
    for (let s0 = c * S, i = 0; i < N; i++, s0 += C * S)
      for (let k = s0; k < s0 + S; k++) d[k] = ag * g[k] + ax * x[k] + k0;
    d[size + c] = sgx;
    d[size + C + c] = sg;
  }
  return res;
}
