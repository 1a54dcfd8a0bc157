// SmoothL1Loss(beta): Huber's loss divided by beta; `new SmoothL1Loss(0.5)` or with options.
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { smoothL1Loss, type SmoothL1LossOptions } from "./functional/regression.js";

export class SmoothL1Loss extends Loss {
  readonly beta: number;

  constructor(betaOrOpts: number | SmoothL1LossOptions = {}) {
    const opts = typeof betaOrOpts === "number" ? { beta: betaOrOpts } : betaOrOpts;
    super(opts.reduction);
    this.beta = opts.beta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { beta: this.beta, reduction: this.reduction });
  }

  override extraRepr(): string {
    return [`beta=${this.beta}`, super.extraRepr()].filter(Boolean).join(", ");
  }
}
