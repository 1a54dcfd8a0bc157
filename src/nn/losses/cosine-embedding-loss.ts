// CosineEmbeddingLoss: pairs of vectors labelled 1 (alike: raise their cosine) or −1
// (unlike: push their cosine below the margin).
import type { Tensor } from "../../tensor/tensor.js";
import { Loss } from "./loss.js";
import { cosineEmbeddingLoss, type MarginOptions } from "./functional/margin.js";

export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;

  constructor(opts: MarginOptions = {}) {
    super(opts.reduction);
    this.margin = opts.margin ?? 0;
  }

  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, {
      margin: this.margin,
      reduction: this.reduction,
    });
  }
}
