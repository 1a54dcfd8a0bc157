// Dropout: in training, zeroes each element with probability p and scales the rest by
// 1/(1-p); in eval mode, the identity.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { Module } from "../module.js";
import { dropout } from "../functional/dropout.js";

/**
 * Dropout, as `nn.Dropout`: while training, zeroes each element with probability p and scales
 * the rest by 1/(1 − p); in eval mode, the identity.
 */
export class Dropout extends Module {
  /** @param p - Probability of zeroing an element while training (default 0.5). */
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1))
      fail("Dropout", `dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }

  override attrs(): Attr[] {
    // Results are never written in place here, so inplace is always False.
    return [attr.float("p", this.p), attr.bool("inplace", false)];
  }
}
