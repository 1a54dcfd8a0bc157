// HingeEmbeddingLoss: for distances with ±1 labels (similar pairs pulled in, dissimilar ones
// pushed beyond the margin).
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { hingeEmbeddingLoss, type MarginOptions } from "./functional/margin.js";

export class HingeEmbeddingLoss extends Loss {
  readonly margin: number;

  constructor(opts: MarginOptions = {}) {
    super(opts.reduction);
    this.margin = opts.margin ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}
