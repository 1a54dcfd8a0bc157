// MSELoss: mean squared error, the module form of F.mseLoss.
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { mseLoss } from "./functional/regression.js";
import type { ReductionOptions } from "./reduction.js";

export class MSELoss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
