// SGD with momentum, dampening, Nesterov momentum and L2 weight decay (torch.optim.SGD):
//   g ← ±grad + λθ;  b ← μb + (1 − τ)g (b ← g on the first step);  g ← g + μb (Nesterov) or b;
//   θ ← θ − lr·g.
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { add, sub, mul } from "../ops/arithmetic.js";
import { copy } from "../ops/copy.js";
import { Optimizer, decayedGradient, type UpdateResult } from "./optimizer.js";
import { checkNonNegative, type ParamsOrGroups } from "./param-groups.js";

export interface SGDOptions {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

export type SGDHyper = Required<SGDOptions>;

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
  let g = decayedGradient(param, grad, h);
  const next: SGDState = {};
  if (h.momentum !== 0) {
    const prev = state.momentumBuffer as Tensor | undefined;
    // The buffer must own its storage: g may be the parameter's .grad itself.
    const buf = prev ? add(mul(prev, h.momentum), mul(g, 1 - h.dampening)) : copy(g);
    next.momentumBuffer = buf;
    g = h.nesterov ? add(g, mul(buf, h.momentum)) : buf;
  }
  return { param: sub(param, mul(g, h.lr)), state: next };
}

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
