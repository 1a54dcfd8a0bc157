// Adagrad (torch.optim.Adagrad): per-coordinate steps shrinking with the summed squared
// gradients, and a learning rate that decays with the step count:
//   s ← s + g²;  θ ← θ − lr/(1 + (t − 1)·lrDecay) · g/(√s + ε).
import type { Tensor } from "../tensor/tensor.js";
import { fullLike } from "../tensor/create.js";
import { add, sub, mul, div } from "../ops/arithmetic.js";
import { sqrt } from "../ops/unary.js";
import { Optimizer, decayedGradient, type UpdateResult } from "./optimizer.js";
import { checkNonNegative, type ParamsOrGroups } from "./param-groups.js";

export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

export type AdagradHyper = Required<AdagradOptions>;

export interface AdagradState {
  [key: string]: Tensor | number;
  step: number;
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
