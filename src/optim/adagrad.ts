// Adagrad (torch.optim.Adagrad): per-coordinate steps shrinking with the summed squared
// gradients, and a learning rate that decays with the step count:
//   s ← s + g²;  θ ← θ − lr/(1 + (t − 1)·lrDecay) · g/(√s + ε).
import type { Tensor } from "../tensor/tensor.js";
import { fullLike } from "../tensor/create.js";
import { add, sub, mul, div } from "../ops/arithmetic.js";
import { sqrt } from "../ops/unary.js";
import { Optimizer, decayedGradient, type UpdateResult } from "./optimizer.js";
import { checkNonNegative, type ParamsOrGroups } from "./param-groups.js";

/** Options of {@link Adagrad} (PyTorch's names and defaults). */
export interface AdagradOptions {
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Learning rate decay per step: lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for stability (default 1e-10). */
  eps?: number;
  /** Maximise the objective instead of minimising (default false). */
  maximize?: boolean;
}

/** Adagrad's hyperparameters, every option set. */
export type AdagradHyper = Required<AdagradOptions>;

/** Adagrad's state per parameter. */
export interface AdagradState {
  [key: string]: Tensor | number;
  /** Steps taken. */
  step: number;
  /** Sum of squared gradients. */
  sum: Tensor;
}

/** One Adagrad step for one tensor: returns the new parameter and state. */
export function adagradUpdate(
  param: Tensor,
  grad: Tensor,
  state: AdagradState,
  h: AdagradHyper,
): UpdateResult<AdagradState> {
  const g = decayedGradient(param, grad, h);
  const step = state.step + 1;
  const clr = h.lr / (1 + (step - 1) * h.lrDecay);
  const sum = add(state.sum, mul(g, g));
  const std = add(sqrt(sum), h.eps);
  return { param: sub(param, mul(div(g, std), clr)), state: { step, sum } };
}

/**
 * Adagrad, as `torch.optim.Adagrad`: per-element learning rates scaled by the accumulated squared
 * gradients.
 */
export class Adagrad extends Optimizer<AdagradHyper, AdagradState> {
  constructor(params: ParamsOrGroups<AdagradHyper>, opts: AdagradOptions = {}) {
    super(params, {
      lr: opts.lr ?? 1e-2,
      lrDecay: opts.lrDecay ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      initialAccumulatorValue: opts.initialAccumulatorValue ?? 0,
      eps: opts.eps ?? 1e-10,
      maximize: opts.maximize ?? false,
    });
  }

  protected initState(param: Tensor, h: AdagradHyper): AdagradState {
    return { step: 0, sum: fullLike(param, h.initialAccumulatorValue) };
  }

  protected update(p: Tensor, g: Tensor, s: AdagradState, h: AdagradHyper) {
    return adagradUpdate(p, g, s, h);
  }

  protected validate(h: AdagradHyper): void {
    checkNonNegative("Adagrad", h, [
      "lr",
      "lrDecay",
      "eps",
      "weightDecay",
      "initialAccumulatorValue",
    ]);
  }
}
