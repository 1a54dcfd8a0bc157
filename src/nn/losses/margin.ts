// Margin and embedding loss modules: MultiMarginLoss, HingeEmbeddingLoss, CosineEmbeddingLoss.
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import {
  multiMarginLoss,
  type MultiMarginOptions,
  hingeEmbeddingLoss,
  type MarginOptions,
  cosineEmbeddingLoss,
} from "./functional/margin.js";

/**
 * MultiMarginLoss: the multi-class (categorical) hinge loss on scores and int32 class indices.
 */
export class MultiMarginLoss extends Loss {
  /** Norm degree: 1 or 2. */
  readonly p: number;
  /** The margin (default 1). */
  readonly margin: number;
  /** Per-class rescaling weight `[C]`, or null. */
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

/**
 * HingeEmbeddingLoss: for distances with ±1 labels (similar pairs pulled in, dissimilar ones
 * pushed beyond the margin).
 */
export class HingeEmbeddingLoss extends Loss {
  /** The margin (default 1). */
  readonly margin: number;

  constructor(opts: MarginOptions = {}) {
    super(opts.reduction);
    this.margin = opts.margin ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return hingeEmbeddingLoss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

/**
 * CosineEmbeddingLoss: pairs of vectors labelled 1 (alike: raise their cosine) or −1
 * (unlike: push their cosine below the margin).
 */
export class CosineEmbeddingLoss extends Loss {
  /** The margin (default 0). */
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
