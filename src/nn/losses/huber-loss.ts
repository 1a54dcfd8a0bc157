// HuberLoss(delta): quadratic near zero, linear beyond delta; `new HuberLoss(2)` or
// `new HuberLoss({ delta: 2, reduction: "sum" })`.
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { huberLoss, type HuberLossOptions } from "./functional/regression.js";

export class HuberLoss extends Loss {
  readonly delta: number;

  constructor(deltaOrOpts: number | HuberLossOptions = {}) {
    const opts = typeof deltaOrOpts === "number" ? { delta: deltaOrOpts } : deltaOrOpts;
    super(opts.reduction);
    this.delta = opts.delta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { delta: this.delta, reduction: this.reduction });
  }

  override extraRepr(): string {
    return [`delta=${this.delta}`, super.extraRepr()].filter(Boolean).join(", ");
  }
}
