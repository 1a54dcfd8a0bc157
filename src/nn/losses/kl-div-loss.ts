// KLDivLoss: KL divergence from log-probability inputs; use reduction "batchmean" for the
// true divergence per sample.
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { klDiv, type KLDivOptions } from "./functional/divergence.js";

type KLReduction = NonNullable<KLDivOptions["reduction"]>;

export class KLDivLoss extends Loss<KLReduction> {
  readonly logTarget: boolean;

  constructor(opts: KLDivOptions = {}) {
    super(opts.reduction, ["batchmean"]);
    this.logTarget = opts.logTarget ?? false;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
