// Kullback–Leibler divergence with PyTorch's convention: the input holds log-probabilities,
// the target probabilities (or log-probabilities with logTarget).
import type { Tensor } from "../../../tensor/tensor.js";
import { sub, mul, div } from "../../../ops/arithmetic.js";
import { exp, log } from "../../../ops/unary.js";
import { gt } from "../../../ops/comparison.js";
import { sum } from "../../../ops/reductions.js";
import { where } from "../../../ops/where.js";
import { checkFloat, checkReduction, checkSameShape, reduceLoss } from "../reduction.js";

/** Options of {@link klDiv}. */
export interface KLDivOptions {
  /**
   * "mean" averages over every element (PyTorch's default, which is not the true KL
   * divergence); "batchmean" divides the sum by the batch size, which is.
   */
  reduction?: "mean" | "sum" | "none" | "batchmean";
  /** The target holds log-probabilities. */
  logTarget?: boolean;
}

/** y·(log y − x), taking 0·log 0 = 0; or e^y·(y − x) with logTarget. */
export function klDiv(input: Tensor, target: Tensor, opts: KLDivOptions = {}): Tensor {
  const op = "klDiv";
  checkFloat(op, "input", input);
  checkSameShape(op, input, target);
  const reduction = checkReduction(op, opts.reduction, ["batchmean"]) as string;
  let pointwise: Tensor;
  if (opts.logTarget) pointwise = mul(exp(target), sub(target, input));
  else {
    // log of a safe value where y = 0, so neither the value nor its gradient turns to NaN.
    const positive = gt(target, 0);
    const yLogY = mul(target, log(where(positive, target, 1)));
    pointwise = sub(yLogY, mul(target, input));
  }
  if (reduction !== "batchmean") return reduceLoss(op, pointwise, reduction);
  const total = sum(pointwise);
  return input.ndim === 0 ? total : div(total, input.shape[0]);
}
