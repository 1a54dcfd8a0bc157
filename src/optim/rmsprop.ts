// RMSprop (torch.optim.RMSprop), optionally centered and with momentum (buffers start at 0),
// every parameter of a group in one multi-tensor kernel (ops/optim-steps.ts):
//   v ← αv + (1 − α)g²;  ḡ ← αḡ + (1 − α)g (centered);  a ← √(v − ḡ²) + ε (or √v + ε);
//   b ← μb + g/a, θ ← θ − lr·b (momentum) or θ ← θ − lr·g/a.
import type { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/create.js";
import { rmspropSteps, stepWidth } from "../ops/optim-steps.js";
import { Optimizer, type DueUpdate, type UpdateResult } from "./optimizer.js";
import { followedGradient, updateInBatches } from "./multi-tensor.js";
import { checkNonNegative, type ParamsOrGroups } from "./param-groups.js";

/** Options of {@link RMSprop} (PyTorch's names and defaults). */
export interface RMSpropOptions {
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Decay of the running average of squared gradients (default 0.99). */
  alpha?: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalise by the gradient's estimated variance instead (default false). */
  centered?: boolean;
  /** Maximise the objective instead of minimising (default false). */
  maximize?: boolean;
}

/** RMSprop's hyperparameters, every option set. */
export type RMSpropHyper = Required<RMSpropOptions>;

/** RMSprop's state per parameter (PyTorch's names). */
export interface RMSpropState {
  [key: string]: Tensor | number;
  /** Steps taken. */
  step: number;
  /** Running average of squared gradients. */
  squareAvg: Tensor;
}

/** One RMSprop step for one tensor: returns the new parameter and state. */
export function rmspropUpdate(
  param: Tensor,
  grad: Tensor,
  state: RMSpropState,
  h: RMSpropHyper,
): UpdateResult<RMSpropState> {
  return rmspropUpdates([{ param, grad, state }], h)[0];
}

/**
 * RMSprop steps for a list of tensors: one multi-tensor kernel (ops/optim-steps.ts) per
 * device. The new parameters and state are views of its output.
 */
export function rmspropUpdates(
  due: readonly DueUpdate<RMSpropState>[],
  h: RMSpropHyper,
): UpdateResult<RMSpropState>[] {
  // A buffer the state lacks (options changed after the first step) starts at zero.
  const buffer = ({ param, state }: DueUpdate<RMSpropState>, key: string) =>
    (state[key] as Tensor | undefined) ?? zerosLike(param);
  const { lr, alpha, eps, momentum, centered } = h;
  return updateInBatches(due, {
    operands: (d) => [
      d.param,
      d.grad,
      centered ? buffer(d, "gradAvg") : d.grad,
      d.state.squareAvg,
      momentum > 0 ? buffer(d, "momentumBuffer") : d.grad,
    ],
    run: (groups) =>
      rmspropSteps(groups, {
        ...{ lr, alpha, eps, momentum, centered },
        ...followedGradient(h),
      }),
    width: stepWidth("rmspropSteps", h),
    result: ([param, squareAvg, ...rest], d) => {
      const next: RMSpropState = { step: d.state.step + 1, squareAvg };
      if (centered) next.gradAvg = rest.shift()!;
      if (momentum > 0) next.momentumBuffer = rest.shift()!;
      return { param, state: next };
    },
  });
}

/**
 * RMSprop, as `torch.optim.RMSprop`: divides the gradient by a running root mean square of recent
 * gradients.
 */
export class RMSprop extends Optimizer<RMSpropHyper, RMSpropState> {
  constructor(params: ParamsOrGroups<RMSpropHyper>, opts: RMSpropOptions = {}) {
    super(params, {
      lr: opts.lr ?? 1e-2,
      alpha: opts.alpha ?? 0.99,
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      momentum: opts.momentum ?? 0,
      centered: opts.centered ?? false,
      maximize: opts.maximize ?? false,
    });
  }

  protected initState(param: Tensor, h: RMSpropHyper): RMSpropState {
    const s: RMSpropState = { step: 0, squareAvg: zerosLike(param) };
    if (h.momentum > 0) s.momentumBuffer = zerosLike(param);
    if (h.centered) s.gradAvg = zerosLike(param);
    return s;
  }

  protected update(p: Tensor, g: Tensor, s: RMSpropState, h: RMSpropHyper) {
    return rmspropUpdate(p, g, s, h);
  }

  protected override updateAll(due: readonly DueUpdate<RMSpropState>[], h: RMSpropHyper) {
    return rmspropUpdates(due, h);
  }

  protected validate(h: RMSpropHyper): void {
    checkNonNegative("RMSprop", h, ["lr", "alpha", "eps", "momentum", "weightDecay"]);
  }
}
