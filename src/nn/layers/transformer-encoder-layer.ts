// TransformerEncoderLayer as in PyTorch: self-attention and a feed-forward block, each with
// a residual connection and LayerNorm, post-norm by default or pre-norm with normFirst.
// Submodule fields carry PyTorch's names (self_attn, linear1, norm1, dropout1, ...) so state
// dict keys interchange with PyTorch checkpoints.
import type { Tensor } from "../../tensor/tensor.js";
import type { Dropout } from "./dropout.js";
import type { LayerNorm } from "./layer-norm.js";
import type { Linear } from "./linear.js";
import type { MultiheadAttention } from "./multihead-attention.js";
import {
  TransformerLayerBase,
  transformerSublayers,
  type TransformerLayerOptions,
} from "./transformer-layer-base.js";

export type { TransformerLayerOptions } from "./transformer-layer-base.js";

export interface TransformerEncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

export class TransformerEncoderLayer extends TransformerLayerBase {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super(opts);
    const make = transformerSublayers(dModel, nhead, opts);
    this.self_attn = make.attention();
    this.linear1 = make.linear1();
    this.dropout = make.dropout();
    this.linear2 = make.linear2();
    this.norm1 = make.norm();
    this.norm2 = make.norm();
    this.dropout1 = make.dropout();
    this.dropout2 = make.dropout();
  }

  /** src [S, N, E] ([N, S, E] with batchFirst, or unbatched [S, E]); returns the same shape. */
  forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const masks = {
      attnMask: opts.srcMask,
      keyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.isCausal,
    };
    const x = this.residual(src, this.norm1, (y) =>
      this.attend(this.self_attn, this.dropout1, y, y, masks),
    );
    return this.residual(x, this.norm2, (y) => this.feedForward(y, this.dropout2));
  }
}
