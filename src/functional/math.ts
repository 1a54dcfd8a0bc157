// Elementwise and reduction composites. Branches that would overflow in the untaken side of
// a where() are made safe first, so no NaN leaks into gradients.
import type { Tensor } from "../tensor/tensor.js";
import { checkNumericTensor, checkTensor } from "../tensor/validate.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim, normDims } from "../tensor/shape.js";
import type { Dims, TensorLike } from "../ops/dispatch.js";
import { asTensor, commonDevice } from "../ops/dispatch.js";
import { add, sub, mul, div, minimum } from "../ops/arithmetic.js";
import { exp, log, sqrt, abs, relu, erf, tanh, sigmoid } from "../ops/unary.js";
import { gt, lt, eq } from "../ops/comparison.js";
import { where } from "../ops/where.js";
import { sum, amax } from "../ops/reductions.js";
import { squeeze } from "./shape.js";
import { noGrad } from "../autograd/mode.js";

const tensorOf = (op: string, x: TensorLike): Tensor =>
  asTensor(
    op,
    x,
    commonDevice(op, [x]),
    typeof x === "number" && Number.isInteger(x) ? "int32" : "float32",
  );

/** x², elementwise. */
export const square = (x: TensorLike): Tensor => mul(x, x);
/** 1/x, elementwise. */
export const reciprocal = (x: TensorLike): Tensor => div(1, x);
/** log₁₀ x, elementwise (`torch.log10`). */
export const log10 = (x: TensorLike): Tensor => div(log(x), Math.LN10);
/** log₂ x, elementwise (`torch.log2`). */
export const log2 = (x: TensorLike): Tensor => div(log(x), Math.LN2);
/** 1/√x, elementwise. */
export const rsqrt = (x: TensorLike): Tensor => div(1, sqrt(x));

/** ELU: x where x > 0, else α·(eˣ − 1) (default α = 1). */
export function elu(x: TensorLike, alpha = 1): Tensor {
  return where(gt(x, 0), x, mul(sub(exp(minimum(x, 0)), 1), alpha));
}

/** GELU: exact x·Φ(x) with erf (PyTorch's default), or the tanh approximation. */
export function gelu(x: TensorLike, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate === "tanh") {
    const inner = mul(add(x, mul(mul(mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
    return mul(mul(x, 0.5), add(tanh(inner), 1));
  }
  return mul(mul(x, 0.5), add(erf(mul(x, Math.SQRT1_2)), 1));
}

/** SiLU (swish): x·σ(x). */
export const silu = (x: TensorLike): Tensor => mul(x, sigmoid(x));

/**
 * log(1 + e^(βx))/β in the stable form relu(βx) + log(1 + e^-|βx|), reverting to x where
 * βx > threshold (PyTorch's numerical switch; nn.Softplus calls this, so both agree).
 */
export function softplus(x: TensorLike, beta = 1, threshold = 20): Tensor {
  const bx = mul(x, beta);
  const smooth = div(add(relu(bx), log(add(exp(mul(abs(bx), -1)), 1))), beta);
  return where(gt(bx, threshold), x, smooth);
}

/** Clamps into [min, max]; the gradient is 1 inside the closed interval, 0 outside. */
export function clamp(x: TensorLike, min?: TensorLike | null, max?: TensorLike | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null))
    fail("clamp", "at least one of min and max must be given");
  for (const [name, bound] of [
    ["min", min],
    ["max", max],
  ] as const)
    if (
      bound !== undefined &&
      bound !== null &&
      typeof bound !== "number" &&
      typeof bound !== "boolean"
    )
      checkTensor("clamp", bound, name);
  let out = tensorOf("clamp", x);
  if (min !== undefined && min !== null) out = where(lt(out, min), min, out);
  if (max !== undefined && max !== null) out = where(gt(out, max), max, out);
  return out;
}

function countOf(x: Tensor, dims: number[]): number {
  return dims.reduce((n, d) => n * x.shape[d], 1);
}

/** Mean over `dim` (all elements when omitted), keeping reduced dims as size 1 when `keepdim`. */
export function mean(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  const t = tensorOf("mean", x);
  const dims = normDims("mean", dim, t.ndim);
  return div(sum(t, dims, keepdim), countOf(t, dims));
}

/** Options of {@link variance} and {@link std}. */
export interface VarOptions {
  /** Bessel's correction: 1 (unbiased, the default) or 0 (population). */
  correction?: number;
}

/**
 * Variance over `dim` (all when omitted), unbiased by default (`correction: 1`), as `torch.var`;
 * exported as `dl.var`.
 */
export function variance(
  x: TensorLike,
  dim?: Dims,
  keepdim = false,
  opts: VarOptions = {},
): Tensor {
  const t = tensorOf("var", x);
  const dims = normDims("var", dim, t.ndim);
  const n = countOf(t, dims);
  const correction = opts.correction ?? 1;
  const centered = sub(t, mean(t, dims, true));
  return div(sum(mul(centered, centered), dims, keepdim), Math.max(0, n - correction));
}

/** Standard deviation over `dim` (all when omitted), unbiased by default, as `torch.std`. */
export function std(x: TensorLike, dim?: Dims, keepdim = false, opts: VarOptions = {}): Tensor {
  const v = variance(x, dim, keepdim, opts);
  // √ has an infinite slope at 0: a constant input would get NaN gradients. PyTorch's rule
  // gives 0 there, so zero variances take a constant branch (NaN still propagates).
  const zero = eq(v, 0);
  return where(zero, 0, sqrt(where(zero, 1, v)));
}

/**
 * The max used as a constant shift. Taken without recording (not max().detach()): a recorded
 * max node would never be reached by backward, so its saved tensors would wait for the GC.
 */
const shiftOf = (t: Tensor, dims: Dims): Tensor => noGrad(() => amax(t, dims, true));

/** log Σ e^x, shifted by the (detached) max so large inputs do not overflow. */
export function logsumexp(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  const t = tensorOf("logsumexp", x);
  checkNumericTensor("logsumexp", t);
  const dims = normDims("logsumexp", dim, t.ndim);
  // Over a zero-size dim the sum is empty: log 0 = -inf, as in PyTorch (no max to shift by).
  if (countOf(t, dims) === 0) return log(sum(exp(t), dims, keepdim));
  const m = shiftOf(t, dims);
  const shift = where(eq(abs(m), Infinity), 0, m);
  const out = add(log(sum(exp(sub(t, shift)), dims, true)), shift);
  return keepdim ? out : squeeze(out, dims);
}

function softmaxDim(op: string, t: Tensor, dim: number | undefined): number {
  if (dim === undefined) {
    if (t.ndim > 1) fail(op, `dim is required for a tensor of shape ${fmtShape(t.shape)}`);
    return 0;
  }
  return normDim(op, dim, t.ndim);
}

/**
 * Softmax along `dim` (default: the last), computed stably (max subtracted): each slice sums to 1.
 */
export function softmax(x: TensorLike, dim?: number): Tensor {
  const t = tensorOf("softmax", x);
  checkNumericTensor("softmax", t);
  const d = softmaxDim("softmax", t, dim);
  if (t.shape[d] === 0) return mul(t, 1);
  const e = exp(sub(t, shiftOf(t, d)));
  return div(e, sum(e, d, true));
}

/** log(softmax(x)) along `dim` (default: the last), computed stably with logsumexp. */
export function logSoftmax(x: TensorLike, dim?: number): Tensor {
  const t = tensorOf("logSoftmax", x);
  checkNumericTensor("logSoftmax", t);
  const d = softmaxDim("logSoftmax", t, dim);
  if (t.shape[d] === 0) return mul(t, 1);
  return sub(t, logsumexp(t, d, true));
}
