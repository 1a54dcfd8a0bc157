// NLLLoss: negative log-likelihood of log-probabilities (pair it with LogSoftmax).
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import { nllLoss, type NLLLossOptions } from "./functional/classification.js";

export class NLLLoss extends Loss {
  weight: Buffer | null;
  readonly ignoreIndex: number;

  constructor(opts: NLLLossOptions = {}) {
    super(opts.reduction);
    this.weight = asBuffer(opts.weight);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
    });
  }
}
