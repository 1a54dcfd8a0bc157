// CosineSimilarity and PairwiseDistance: the functional forms as layers, as in torch.nn.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { cosineSimilarity, pairwiseDistance } from "../functional/distance.js";
import { Module } from "../module.js";

/** Cosine similarity of two inputs along `dim` (see {@link cosineSimilarity}). */
export class CosineSimilarity extends Module {
  constructor(
    /** The dim the vectors lie along (default 1); removed from the output. */
    readonly dim = 1,
    /** Lower bound on each norm (default 1e-8). */
    readonly eps = 1e-8,
  ) {
    super();
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, this.dim, this.eps);
  }

  override attrs(): Attr[] {
    // PyTorch prints neither argument; the diagram still gets them.
    const quiet = { quiet: true };
    return [attr.int("dim", this.dim, quiet), attr.float("eps", this.eps, quiet)];
  }
}

/** The p-norm distance between matching rows of two inputs (see {@link pairwiseDistance}). */
export class PairwiseDistance extends Module {
  constructor(
    /** The norm's order (default 2). */
    readonly p = 2,
    /** Added to the difference, as PyTorch does, so the norm is never taken at 0 (1e-6). */
    readonly eps = 1e-6,
    /** Keeps the last dim, of size 1. */
    readonly keepdim = false,
  ) {
    super();
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, this.p, this.eps, this.keepdim);
  }

  override attrs(): Attr[] {
    const quiet = { quiet: true };
    return [
      attr.float("p", this.p, quiet),
      attr.float("eps", this.eps, quiet),
      attr.bool("keepdim", this.keepdim, quiet),
    ];
  }
}
