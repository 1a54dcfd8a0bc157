// The shared part of TransformerEncoderLayer and TransformerDecoderLayer: PyTorch's defaults
// for their sublayers, the attention and feed-forward blocks, and the residual step (post-norm,
// or pre-norm with normFirst). The subclasses declare their submodule fields themselves, in
// PyTorch's order and under PyTorch's names, so state dict keys match PyTorch's.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { add } from "../../ops/arithmetic.js";
import { Module } from "../module.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./layer-norm.js";
import {
  MultiheadAttention,
  type MultiheadAttentionForwardOptions,
} from "./multihead-attention.js";
import { resolveActivation, type TransformerActivation } from "./transformer-activation.js";

export interface TransformerLayerOptions {
  dimFeedforward?: number;
  dropout?: number;
  activation?: TransformerActivation;
  layerNormEps?: number;
  batchFirst?: boolean;
  /** Pre-norm: LayerNorm before each block instead of after the residual sum. */
  normFirst?: boolean;
  bias?: boolean;
  device?: Device;
}

type AttentionMasks = Pick<
  MultiheadAttentionForwardOptions,
  "attnMask" | "keyPaddingMask" | "isCausal"
>;

/** Builders for the sublayers, with PyTorch's defaults (dropout 0.1, 2048 wide, eps 1e-5). */
export function transformerSublayers(dModel: number, nhead: number, opts: TransformerLayerOptions) {
  const p = opts.dropout ?? 0.1;
  const bias = opts.bias ?? true;
  const dff = opts.dimFeedforward ?? 2048;
  const device = opts.device;
  return {
    attention: () =>
      new MultiheadAttention(dModel, nhead, {
        dropout: p,
        bias,
        batchFirst: opts.batchFirst,
        device,
      }),
    linear1: () => new Linear(dModel, dff, { bias, device }),
    linear2: () => new Linear(dff, dModel, { bias, device }),
    dropout: () => new Dropout(p),
    norm: () => new LayerNorm(dModel, { eps: opts.layerNormEps ?? 1e-5, bias, device }),
  };
}

export abstract class TransformerLayerBase extends Module {
  // Declared by the subclasses (abstract fields emit nothing, so their order stays PyTorch's).
  abstract linear1: Linear;
  abstract dropout: Dropout;
  abstract linear2: Linear;
  readonly normFirst: boolean;
  protected readonly activationFn: (x: Tensor) => Tensor;

  protected constructor(opts: TransformerLayerOptions) {
    super();
    this.normFirst = opts.normFirst ?? false;
    this.activationFn = resolveActivation(this.constructor.name, opts.activation ?? "relu");
  }

  /** An attention block: query x against keys/values kv (no weights needed), then dropout. */
  protected attend(
    attention: MultiheadAttention,
    dropout: Dropout,
    x: Tensor,
    kv: Tensor,
    masks: AttentionMasks,
  ): Tensor {
    const [out] = attention.forward(x, kv, kv, { ...masks, needWeights: false });
    return dropout.forward(out);
  }

  /** The feed-forward block: linear2(dropout(act(linear1(x)))), then its output dropout. */
  protected feedForward(x: Tensor, outDropout: Dropout): Tensor {
    const hidden = this.dropout.forward(this.activationFn(this.linear1.forward(x)));
    return outDropout.forward(this.linear2.forward(hidden));
  }

  /** Pre-norm x + block(norm(x)), or post-norm norm(x + block(x)). */
  protected residual(x: Tensor, norm: LayerNorm, block: (x: Tensor) => Tensor): Tensor {
    return this.normFirst ? add(x, block(norm.forward(x))) : norm.forward(add(x, block(x)));
  }
}
