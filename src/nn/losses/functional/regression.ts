// Regression losses on elementwise differences: MSE, L1, Huber and smooth L1 (PyTorch's
// formulas; Huber and smooth L1 differ only in scale: huber(δ) = δ · smoothL1(β = δ)).
import type { Tensor } from "../../../tensor/tensor.js";
import { fail } from "../../../tensor/errors.js";
import { sub, mul } from "../../../ops/arithmetic.js";
import { abs } from "../../../ops/unary.js";
import { lt } from "../../../ops/comparison.js";
import { where } from "../../../ops/where.js";
import { checkFloat, checkSameShape, reduceLoss, type ReductionOptions } from "../reduction.js";

function difference(op: string, input: Tensor, target: Tensor): Tensor {
  checkFloat(op, "input", input);
  checkSameShape(op, input, target);
  return sub(input, target);
}

/** Mean squared error: (x − y)². */
export function mseLoss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  const d = difference("mseLoss", input, target);
  return reduceLoss("mseLoss", mul(d, d), opts.reduction);
}

/** Mean absolute error: |x − y|. */
export function l1Loss(input: Tensor, target: Tensor, opts: ReductionOptions = {}): Tensor {
  return reduceLoss("l1Loss", abs(difference("l1Loss", input, target)), opts.reduction);
}

/** Options of {@link huberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** ½d² where |d| < δ, else δ(|d| − ½δ). */
export function huberLoss(input: Tensor, target: Tensor, opts: HuberLossOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  if (!(delta > 0)) fail("huberLoss", `delta must be positive, got ${delta}`);
  const d = difference("huberLoss", input, target);
  const a = abs(d);
  const loss = where(lt(a, delta), mul(mul(d, d), 0.5), mul(sub(a, 0.5 * delta), delta));
  return reduceLoss("huberLoss", loss, opts.reduction);
}

/** Options of {@link smoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/** ½d²/β where |d| < β, else |d| − ½β. */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  opts: SmoothL1LossOptions = {},
): Tensor {
  const beta = opts.beta ?? 1;
  if (!(beta >= 0)) fail("smoothL1Loss", `beta must be non-negative, got ${beta}`);
  const d = difference("smoothL1Loss", input, target);
  const a = abs(d);
  const loss = beta === 0 ? a : where(lt(a, beta), mul(mul(d, d), 0.5 / beta), sub(a, 0.5 * beta));
  return reduceLoss("smoothL1Loss", loss, opts.reduction);
}
