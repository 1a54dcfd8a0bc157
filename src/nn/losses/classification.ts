// Classification loss modules: CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss, KLDivLoss.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Buffer } from "../parameter.js";
import { Loss, asBuffer } from "./loss.js";
import {
  crossEntropy,
  type CrossEntropyOptions,
  nllLoss,
  type NLLLossOptions,
} from "./functional/classification.js";
import {
  binaryCrossEntropy,
  type BinaryCrossEntropyOptions,
  binaryCrossEntropyWithLogits,
  type BinaryCrossEntropyWithLogitsOptions,
} from "./functional/binary.js";
import { klDiv, type KLDivOptions } from "./functional/divergence.js";

/**
 * CrossEntropyLoss: log-softmax and NLL over raw logits. Targets are int32 class indices
 * (sparse categorical) or float class probabilities shaped like the input. As
 * `nn.CrossEntropyLoss`: input `[N, C]` (or `[N, C, ...]`), target `[N]` → a scalar by default.
 *
 * @example
 * ```ts
 * const lossFn = new dl.nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = lossFn.forward(dl.randn([4, 3]), dl.tensor([0, 2, 1, 0]));
 * loss.shape; // []
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Per-class rescaling weight `[C]`, or null. */
  weight: Buffer | null;
  /** Target class that contributes no loss or gradient (default -100). */
  readonly ignoreIndex: number;
  /** Mixes the one-hot target with the uniform distribution by this amount (default 0). */
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

  override attrs(): Attr[] {
    return [
      ...super.attrs(),
      attr.int("ignore_index", this.ignoreIndex, { quiet: this.ignoreIndex === -100 }),
      attr.text("label_smoothing", this.labelSmoothing, { quiet: !this.labelSmoothing }),
    ];
  }
}

/**
 * NLLLoss: negative log-likelihood of log-probabilities (pair it with LogSoftmax).
 */
export class NLLLoss extends Loss {
  /** Per-class rescaling weight `[C]`, or null. */
  weight: Buffer | null;
  /** Target class that contributes no loss or gradient (default -100). */
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

/**
 * BCELoss: binary cross-entropy on probabilities (apply sigmoid first, or prefer
 * BCEWithLogitsLoss, which is stable for large logits).
 */
export class BCELoss extends Loss {
  /** Per-element rescaling weight (broadcast to the input), or null. */
  weight: Buffer | null;

  constructor(opts: BinaryCrossEntropyOptions = {}) {
    super(opts.reduction);
    this.weight = asBuffer(opts.weight);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * BCEWithLogitsLoss: sigmoid and binary cross-entropy in one stable formula, with per-element
 * weights and a per-class weight for positives (posWeight > 1 raises recall).
 */
export class BCEWithLogitsLoss extends Loss {
  /** Per-element rescaling weight (broadcast to the input), or null. */
  weight: Buffer | null;
  /** Weight of positive examples per class (broadcast over the last dim), or null. */
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

// KLDivLoss: KL divergence from log-probability inputs; use reduction "batchmean" for the
// true divergence per sample.
type KLReduction = NonNullable<KLDivOptions["reduction"]>;

/**
 * Kullback-Leibler divergence between a target distribution and log-probabilities, as
 * `nn.KLDivLoss` (use reduction "batchmean" for the true divergence).
 */
export class KLDivLoss extends Loss<KLReduction> {
  /** Whether the target is given as log-probabilities. */
  readonly logTarget: boolean;

  constructor(opts: KLDivOptions = {}) {
    super(opts.reduction, ["batchmean"]);
    this.logTarget = opts.logTarget ?? false;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}
