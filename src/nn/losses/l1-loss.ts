// L1Loss: mean absolute error, the module form of F.l1Loss.
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { l1Loss } from "./functional/regression.js";
import type { ReductionOptions } from "./reduction.js";

export class L1Loss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}
