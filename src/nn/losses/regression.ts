// Regression loss modules: MSELoss, L1Loss, HuberLoss, SmoothL1Loss.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import {
  mseLoss,
  l1Loss,
  huberLoss,
  type HuberLossOptions,
  smoothL1Loss,
  type SmoothL1LossOptions,
} from "./functional/regression.js";
import type { ReductionOptions } from "./reduction.js";

/**
 * MSELoss: mean squared error, the module form of F.mseLoss (`nn.MSELoss`): mean of
 * (input − target)² by default.
 *
 * @example
 * ```ts
 * const mse = new dl.nn.MSELoss();
 * await mse.forward(dl.tensor([1, 2, 3], { dtype: "float32" }), dl.zeros([3])).item(); // 14 / 3
 * ```
 */
export class MSELoss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * L1Loss: mean absolute error, the module form of F.l1Loss.
 */
export class L1Loss extends Loss {
  constructor(opts: ReductionOptions = {}) {
    super(opts.reduction);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * HuberLoss(delta): quadratic near zero, linear beyond delta; `new HuberLoss(2)` or
 * `new HuberLoss({ delta: 2, reduction: "sum" })`.
 */
export class HuberLoss extends Loss {
  /** Where the loss switches from quadratic to linear (default 1). */
  readonly delta: number;

  constructor(deltaOrOpts: number | HuberLossOptions = {}) {
    const opts = typeof deltaOrOpts === "number" ? { delta: deltaOrOpts } : deltaOrOpts;
    super(opts.reduction);
    this.delta = opts.delta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { delta: this.delta, reduction: this.reduction });
  }

  override attrs(): Attr[] {
    return [attr.text("delta", this.delta), ...super.attrs()];
  }
}

/**
 * SmoothL1Loss(beta): Huber's loss divided by beta; `new SmoothL1Loss(0.5)` or with options.
 */
export class SmoothL1Loss extends Loss {
  /** Where the loss switches from quadratic to linear (default 1). */
  readonly beta: number;

  constructor(betaOrOpts: number | SmoothL1LossOptions = {}) {
    const opts = typeof betaOrOpts === "number" ? { beta: betaOrOpts } : betaOrOpts;
    super(opts.reduction);
    this.beta = opts.beta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { beta: this.beta, reduction: this.reduction });
  }

  override attrs(): Attr[] {
    return [attr.text("beta", this.beta), ...super.attrs()];
  }
}
