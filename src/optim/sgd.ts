// SGD with momentum, dampening, Nesterov momentum and L2 weight decay (torch.optim.SGD):
//   g ← ±grad + λθ;  b ← μb + (1 − τ)g (b ← g on the first step);  g ← g + μb (Nesterov) or b;
//   θ ← θ − lr·g.
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { sgdSteps } from "../ops/optim-steps.js";
import { Optimizer, type DueUpdate, type UpdateResult } from "./optimizer.js";
import { followedGradient, updateInBatches } from "./multi-tensor.js";
import { checkNonNegative, type ParamsOrGroups } from "./param-groups.js";

/** Options of {@link SGD} (PyTorch's names and defaults). */
export interface SGDOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Dampening of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false). */
  nesterov?: boolean;
  /** Maximise the objective instead of minimising (default false). */
  maximize?: boolean;
}

/** SGD's hyperparameters, every option set. */
export type SGDHyper = Required<SGDOptions>;

/** SGD's state per parameter. */
export interface SGDState {
  [key: string]: Tensor | number;
}

/** One SGD step for one tensor: returns the new parameter and state. */
export function sgdUpdate(
  param: Tensor,
  grad: Tensor,
  state: SGDState,
  h: SGDHyper,
): UpdateResult<SGDState> {
  return sgdUpdates([{ param, grad, state }], h)[0];
}

/**
 * SGD steps for a list of tensors: one multi-tensor kernel (ops/optim-steps.ts) per device.
 * The new parameters and momentum buffers are views of its output.
 */
export function sgdUpdates(
  due: readonly DueUpdate<SGDState>[],
  h: SGDHyper,
): UpdateResult<SGDState>[] {
  const buffer = (d: DueUpdate<SGDState>) => d.state.momentumBuffer as Tensor | undefined;
  return updateInBatches(due, {
    operands: (d) => [d.param, d.grad, buffer(d) ?? d.grad],
    run: (groups, batch) =>
      sgdSteps(groups, {
        lr: h.lr,
        momentum: h.momentum,
        oneMinusDampening: 1 - h.dampening,
        nesterov: h.nesterov,
        ...followedGradient(h),
        // Without a buffer yet (the first step) it starts as the gradient, as in torch.
        fresh: batch.map((d) => h.momentum !== 0 && !buffer(d)),
      }),
    width: h.momentum ? 2 : 1,
    result: ([param, momentumBuffer]) => {
      const state: SGDState = momentumBuffer ? { momentumBuffer } : {};
      return { param, state };
    },
  });
}

/**
 * Stochastic gradient descent with optional momentum, as `torch.optim.SGD`.
 *
 * @example
 * ```ts
 * const opt = new dl.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDHyper, SGDState> {
  constructor(params: ParamsOrGroups<SGDHyper>, opts: SGDOptions) {
    if (!opts || typeof opts.lr !== "number")
      fail("SGD", "lr is required: new SGD(params, { lr: 0.01 })");
    super(params, {
      lr: opts.lr,
      momentum: opts.momentum ?? 0,
      dampening: opts.dampening ?? 0,
      weightDecay: opts.weightDecay ?? 0,
      nesterov: opts.nesterov ?? false,
      maximize: opts.maximize ?? false,
    });
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(p: Tensor, g: Tensor, s: SGDState, h: SGDHyper): UpdateResult<SGDState> {
    return sgdUpdate(p, g, s, h);
  }

  protected override updateAll(due: readonly DueUpdate<SGDState>[], h: SGDHyper) {
    return sgdUpdates(due, h);
  }

  protected validate(h: SGDHyper): void {
    checkNonNegative("SGD", h, ["lr", "momentum", "weightDecay"]);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0))
      fail("SGD", "Nesterov momentum requires a momentum and zero dampening");
  }
}
