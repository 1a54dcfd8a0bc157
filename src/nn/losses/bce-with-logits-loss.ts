// BCEWithLogitsLoss: sigmoid and binary cross-entropy in one stable formula, with per-element
// weights and a per-class weight for positives (posWeight > 1 raises recall).
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import {
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyWithLogitsOptions,
} from "./functional/binary.js";

export class BCEWithLogitsLoss extends Loss {
  weight: Buffer | null;
  posWeight: Buffer | null;

  constructor(opts: BinaryCrossEntropyWithLogitsOptions = {}) {
    super(opts.reduction);
    this.weight = asBuffer(opts.weight);
    this.posWeight = asBuffer(opts.posWeight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}
