// Adagrad (torch.optim.Adagrad): per-coordinate steps shrinking with the summed squared
// gradients, and a learning rate that decays with the step count:
//   s ← s + g²;  θ ← θ − lr/(1 + (t − 1)·lrDecay) · g/(√s + ε)
// (every parameter of a group in one multi-tensor kernel, ops/optim-steps.ts).
import type { Tensor } from "../tensor/tensor.js";
import { fullLike } from "../tensor/create.js";
import { adagradSteps } from "../ops/optim-steps.js";
import { Optimizer, type DueUpdate, type UpdateResult } from "./optimizer.js";
import { followedGradient, updateInBatches } from "./multi-tensor.js";
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
  return adagradUpdates([{ param, grad, state }], h)[0];
}

/**
 * Adagrad steps for a list of tensors: one multi-tensor kernel (ops/optim-steps.ts) per device
 * and step count (the decayed learning rate depends on it). The new parameters and sums are
 * views of its output.
 */
export function adagradUpdates(
  due: readonly DueUpdate<AdagradState>[],
  h: AdagradHyper,
): UpdateResult<AdagradState>[] {
  return updateInBatches(due, {
    batchKey: (d) => String(d.state.step),
    operands: ({ param, grad, state }) => [param, grad, state.sum],
    run: (groups, batch) => {
      const step = batch[0].state.step + 1;
      const clr = h.lr / (1 + (step - 1) * h.lrDecay);
      return adagradSteps(groups, { lr: clr, eps: h.eps, ...followedGradient(h) });
    },
    width: 2,
    result: ([param, sum], d) => ({ param, state: { step: d.state.step + 1, sum } }),
  });
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

  protected override updateAll(due: readonly DueUpdate<AdagradState>[], h: AdagradHyper) {
    return adagradUpdates(due, h);
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
