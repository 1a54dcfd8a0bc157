// CrossEntropyLoss: log-softmax and NLL over raw logits. Targets are int32 class indices
// (sparse categorical) or float class probabilities shaped like the input.
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import { crossEntropy, type CrossEntropyOptions } from "./functional/classification.js";

export class CrossEntropyLoss extends Loss {
  weight: Buffer | null;
  readonly ignoreIndex: number;
  readonly labelSmoothing: number;

  constructor(opts: CrossEntropyOptions = {}) {
    super(opts.reduction);
    this.weight = asBuffer(opts.weight);
    this.ignoreIndex = opts.ignoreIndex ?? -100;
    this.labelSmoothing = opts.labelSmoothing ?? 0;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      labelSmoothing: this.labelSmoothing,
      reduction: this.reduction,
    });
  }

  override extraRepr(): string {
    const parts = [super.extraRepr()];
    if (this.ignoreIndex !== -100) parts.push(`ignore_index=${this.ignoreIndex}`);
    if (this.labelSmoothing) parts.push(`label_smoothing=${this.labelSmoothing}`);
    return parts.filter(Boolean).join(", ");
  }
}
