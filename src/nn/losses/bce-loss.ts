// BCELoss: binary cross-entropy on probabilities (apply sigmoid first, or prefer
// BCEWithLogitsLoss, which is stable for large logits).
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import { binaryCrossEntropy, type BinaryCrossEntropyOptions } from "./functional/binary.js";

export class BCELoss extends Loss {
  weight: Buffer | null;

  constructor(opts: BinaryCrossEntropyOptions = {}) {
    super(opts.reduction);
    this.weight = asBuffer(opts.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
