// F.batchNorm / layerNorm / groupNorm: (x - mean) / sqrt(var + eps) · weight + bias, with the
// biased variance for normalising. In training, batch norm updates the running statistics in
// place (outside the graph) with the unbiased variance, as PyTorch does.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { noGrad } from "../../autograd/mode.js";
import { describe } from "../../ops/dispatch.js";
import { add, sub, mul, div } from "../../ops/arithmetic.js";
import { neg, sqrt } from "../../ops/unary.js";
import { view } from "../../ops/views.js";
import { mean } from "../../functional/math.js";
import { reshape, select } from "../../functional/shape.js";
import { batchNormTrain, channelMoments } from "../../ops/batch-norm.js";
import { ones, zeros } from "../../tensor/create.js";
import { cast } from "../../ops/copy.js";

/**
 * (x - mean) and 1 / sqrt(biased var + eps) over `dims`. The caller multiplies the two, folding
 * any per-channel weight into the small inverse first: a multiply by a broadcast costs two
 * full-size passes backward where dividing by one cost four. The mean enters as x + (-mean),
 * so its gradient is negated after the reduction to the statistics' shape, not before.
 */
function moments(x: Tensor, dims: number[], eps: number) {
  const mu = mean(x, dims, true);
  const centered = add(x, neg(mu));
  const v = mean(mul(centered, centered), dims, true);
  return { centered, invStd: div(1, sqrt(add(v, eps))) };
}

function affine(
  y: Tensor,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  shape: number[],
) {
  const scaled = weight ? mul(y, view(weight, shape)) : y;
  return bias ? add(scaled, view(bias, shape)) : scaled;
}

/** centered · (invStd · weight) + bias, every factor but `centered` per channel. */
function scaleShift(
  centered: Tensor,
  invStd: Tensor,
  weight: Tensor | null | undefined,
  bias: Tensor | null | undefined,
  shape: number[],
) {
  const scale = weight ? mul(invStd, view(weight, shape)) : invStd;
  const y = mul(centered, scale);
  return bias ? add(y, view(bias, shape)) : y;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /** Per-channel scale γ [C] (default none). */
  weight?: Tensor | null;
  /** Per-channel shift β [C] (default none). */
  bias?: Tensor | null;
  /** Use batch statistics (and update running ones) rather than the running ones. */
  training?: boolean;
  /** Weight of the new batch in the running estimate (a 0-d tensor is accepted too). */
  momentum?: number | Tensor;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

function checkStat(name: string, t: Tensor | null | undefined, C: number, x: Tensor): void {
  if (t && (t.ndim !== 1 || t.shape[0] !== C || t.dtype !== "float32"))
    fail(
      "batchNorm",
      `${name} must be a 1-D float32 tensor of size ${C} (the channels of input ${fmtShape(x.shape)}), got ${describe(t)}`,
    );
}

/** Normalises each channel (dim 1) of x [N, C, ...] over every other dim. */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  opts: BatchNormOptions = {},
): Tensor {
  if (x.ndim < 2) fail("batchNorm", `expected an input [N, C, ...], got ${fmtShape(x.shape)}`);
  const C = x.shape[1];
  for (const [name, t] of [
    ["runningMean", runningMean],
    ["runningVar", runningVar],
    ["weight", opts.weight],
    ["bias", opts.bias],
  ] as const)
    checkStat(name, t, C, x);
  const eps = opts.eps ?? 1e-5;
  const shape = x.shape.map((s, d) => (d === 1 ? C : 1));
  const training = opts.training ?? false;
  if (!training) {
    if (!runningMean || !runningVar)
      fail("batchNorm", "running statistics are required when training is false");
    const invStd = div(1, sqrt(add(view(runningVar, shape), eps)));
    return scaleShift(sub(x, view(runningMean, shape)), invStd, opts.weight, opts.bias, shape);
  }
  const n = x.size / C;
  if (n <= 1)
    fail(
      "batchNorm",
      `expected more than 1 value per channel when training, got input ${fmtShape(x.shape)}`,
    );
  // The fused kernels (ops/batch-norm.ts) read a contiguous float32 input: a convolution's
  // output is a permuted view, and one copy costs less than the composed normalisation's passes.
  const xf = x.dtype === "float32" ? x : cast(x, "float32");
  const xc = xf.isContiguous ? xf : xf.contiguous();
  const stats = channelMoments(xc);
  const m = opts.momentum ?? 0.1;
  noGrad(() => {
    // A number stays a number: sub(1, m) of two numbers would be a CPU tensor, and a GPU
    // running mean cannot be multiplied by it.
    const keep = typeof m === "number" ? 1 - m : sub(1, m);
    const [mu, v] = [select(stats, 0, 0), select(stats, 0, 1)];
    if (runningMean) runningMean._assign(add(mul(runningMean, keep), mul(mu, m)));
    // The running estimate uses the unbiased variance, the normalisation the biased one.
    const unbiased = mul(v, n / (n - 1));
    if (runningVar) runningVar._assign(add(mul(runningVar, keep), mul(unbiased, m)));
  });
  const weight = opts.weight ?? ones([C], { device: x.device });
  const bias = opts.bias ?? zeros([C], { device: x.device });
  return batchNormTrain(xc, stats, weight.contiguous(), bias.contiguous(), { eps });
}

/** Options of {@link layerNorm} and {@link groupNorm}. */
export interface NormOptions {
  /** Elementwise scale γ (default none). */
  weight?: Tensor | null;
  /** Elementwise shift β (default none). */
  bias?: Tensor | null;
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
}

/** Normalises over the last dims, which must equal `normalizedShape`. */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  opts: NormOptions = {},
): Tensor {
  const norm = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
  const tail = x.shape.slice(x.ndim - norm.length);
  if (norm.length === 0 || norm.length > x.ndim || tail.join() !== norm.join())
    fail(
      "layerNorm",
      `input ${fmtShape(x.shape)} does not end in normalizedShape ${fmtShape(norm)}`,
    );
  for (const [name, t] of [
    ["weight", opts.weight],
    ["bias", opts.bias],
  ] as const)
    if (t && t.shape.join() !== norm.join())
      fail("layerNorm", `${name} ${fmtShape(t.shape)} must have normalizedShape ${fmtShape(norm)}`);
  const dims = norm.map((_, i) => x.ndim - norm.length + i);
  const { centered, invStd } = moments(x, dims, opts.eps ?? 1e-5);
  return affine(mul(centered, invStd), opts.weight, opts.bias, norm);
}

/** Splits the channels of x [N, C, ...] into groups and normalises each group per sample. */
export function groupNorm(x: Tensor, numGroups: number, opts: NormOptions = {}): Tensor {
  if (x.ndim < 2) fail("groupNorm", `expected an input [N, C, ...], got ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  if (!Number.isInteger(numGroups) || numGroups < 1 || C % numGroups !== 0)
    fail(
      "groupNorm",
      `numGroups=${numGroups} must divide the ${C} channels of input ${fmtShape(x.shape)}`,
    );
  for (const [name, t] of [
    ["weight", opts.weight],
    ["bias", opts.bias],
  ] as const)
    if (t && (t.ndim !== 1 || t.shape[0] !== C))
      fail("groupNorm", `${name} ${fmtShape(t.shape)} must be 1-D of size ${C}`);
  const grouped = reshape(x, [N, numGroups, -1]);
  const { centered, invStd } = moments(grouped, [2], opts.eps ?? 1e-5);
  const shape = x.shape.map((s, d) => (d === 1 ? C : 1));
  return affine(reshape(mul(centered, invStd), x.shape), opts.weight, opts.bias, shape);
}
