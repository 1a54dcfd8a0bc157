// AdamW (torch.optim.AdamW): Adam with decoupled weight decay (θ ← θ(1 − lr·λ) before the
// step, not λθ added to the gradient) and a default λ of 0.01. As in PyTorch, it is Adam
// with those two defaults: the update, state and checks are Adam's.
import type { ParamsOrGroups } from "./param-groups.js";
import { Adam, type AdamHyper, type AdamOptions } from "./adam.js";

/**
 * AdamW, as `torch.optim.AdamW`: Adam with decoupled weight decay (θ ← θ − lr·λ·θ; default
 * weightDecay 0.01).
 */
export class AdamW extends Adam {
  constructor(params: ParamsOrGroups<AdamHyper>, opts: AdamOptions = {}) {
    super(params, { ...opts, decoupledWeightDecay: true, weightDecay: opts.weightDecay ?? 1e-2 });
  }
}
