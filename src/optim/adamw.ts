// AdamW (torch.optim.AdamW): Adam with decoupled weight decay, default λ = 0.01. The update
// is Adam's pure function with the decay applied to the parameter rather than the gradient.
import type { Tensor } from "../tensor/tensor.js";
import { Optimizer, type UpdateResult } from "./optimizer.js";
import type { ParamsOrGroups } from "./param-groups.js";
import {
  adamDefaults,
  adamUpdate,
  initAdamState,
  validateAdam,
  type AdamHyper,
  type AdamOptions,
  type AdamState,
} from "./adam.js";

export class AdamW extends Optimizer<AdamHyper, AdamState> {
  constructor(params: ParamsOrGroups<AdamHyper>, opts: AdamOptions = {}) {
    super(params, adamDefaults({ ...opts, decoupledWeightDecay: true }, 1e-2));
  }

  protected initState(param: Tensor, h: AdamHyper): AdamState {
    return initAdamState(param, h);
  }

  protected update(p: Tensor, g: Tensor, s: AdamState, h: AdamHyper): UpdateResult<AdamState> {
    return adamUpdate(p, g, s, h);
  }

  protected validate(h: AdamHyper): void {
    validateAdam("AdamW", h);
  }
}
