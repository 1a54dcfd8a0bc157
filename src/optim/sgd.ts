// SGD with momentum, dampening, Nesterov momentum and L2 weight decay (torch.optim.SGD):
//   g ← ±grad + λθ;  b ← μb + (1 − τ)g (b ← g on the first step);  g ← g + μb (Nesterov) or b;
//   θ ← θ − lr·g.
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { fusedMap, type FusedExpr } from "../ops/fused.js";
import { copy } from "../ops/copy.js";
import { Optimizer, decayedGradient, type UpdateResult } from "./optimizer.js";
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
  const g = decayedGradient(param, grad, h);
  if (h.momentum === 0) return { param: fusedMap(SGD_PARAM, [param, g, h.lr]), state: {} };
  const prev = state.momentumBuffer as Tensor | undefined;
  // The buffer must own its storage: g may be the parameter's .grad itself.
  const buf = prev ? fusedMap(MOMENTUM, [prev, g, h.momentum, 1 - h.dampening]) : copy(g);
  const next: SGDState = { momentumBuffer: buf };
  if (!h.nesterov) return { param: fusedMap(SGD_PARAM, [param, buf, h.lr]), state: next };
  return { param: fusedMap(NESTEROV_PARAM, [param, g, buf, h.lr, h.momentum]), state: next };
}

// Each tensor written is one fused pass; the hyperparameters are operands (compiled once).
/** θ − lr·g. a: θ, b: g (or the momentum buffer), c: lr. */
const SGD_PARAM: FusedExpr = { name: "sgd parameter", cpu: "a - c * b", wgsl: "a - c * b" };
/** μb + (1 − τ)g. a: b, b: g, c: μ, d: 1 − τ. */
const MOMENTUM: FusedExpr = { name: "sgd momentum", cpu: "a * c + b * d", wgsl: "a * c + b * d" };
/** θ − lr·(g + μb). a: θ, b: g, c: b, d: lr, e: μ. */
const NESTEROV_PARAM: FusedExpr = {
  name: "sgd nesterov parameter",
  cpu: "a - d * (b + e * c)",
  wgsl: "a - d * (b + e * c)",
};

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

  protected validate(h: SGDHyper): void {
    checkNonNegative("SGD", h, ["lr", "momentum", "weightDecay"]);
    if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0))
      fail("SGD", "Nesterov momentum requires a momentum and zero dampening");
  }
}
