// MultiMarginLoss: the multi-class (categorical) hinge loss on scores and int32 class indices.
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import { multiMarginLoss, type MultiMarginOptions } from "./functional/margin.js";

export class MultiMarginLoss extends Loss {
  readonly p: number;
  readonly margin: number;
  weight: Buffer | null;

  constructor(opts: MultiMarginOptions = {}) {
    super(opts.reduction);
    this.p = opts.p ?? 1;
    this.margin = opts.margin ?? 1;
    this.weight = asBuffer(opts.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return multiMarginLoss(input, target, {
      p: this.p,
      margin: this.margin,
      weight: this.weight,
      reduction: this.reduction,
    });
  }
}
