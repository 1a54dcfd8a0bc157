// TransformerDecoderLayer as in PyTorch: self-attention over the target, cross-attention to
// the encoder memory, and a feed-forward block, each with residual + LayerNorm (post-norm,
// or pre-norm with normFirst). Submodule fields carry PyTorch's names (self_attn,
// multihead_attn, norm3, dropout3, ...) so state dict keys interchange with PyTorch.
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

export interface TransformerDecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

export class TransformerDecoderLayer extends TransformerLayerBase {
  self_attn: MultiheadAttention;
  multihead_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  norm3: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super(opts);
    const make = transformerSublayers(dModel, nhead, opts);
    this.self_attn = make.attention();
    this.multihead_attn = make.attention();
    this.linear1 = make.linear1();
    this.dropout = make.dropout();
    this.linear2 = make.linear2();
    this.norm1 = make.norm();
    this.norm2 = make.norm();
    this.norm3 = make.norm();
    this.dropout1 = make.dropout();
    this.dropout2 = make.dropout();
    this.dropout3 = make.dropout();
  }

  /** tgt [T, N, E] and memory [S, N, E] ([N, ·, E] with batchFirst); returns tgt's shape. */
  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    const selfMasks = {
      attnMask: opts.tgtMask,
      keyPaddingMask: opts.tgtKeyPaddingMask,
      isCausal: opts.tgtIsCausal,
    };
    const memoryMasks = {
      attnMask: opts.memoryMask,
      keyPaddingMask: opts.memoryKeyPaddingMask,
      isCausal: opts.memoryIsCausal,
    };
    let x = this.residual(tgt, this.norm1, (y) =>
      this.attend(this.self_attn, this.dropout1, y, y, selfMasks),
    );
    x = this.residual(x, this.norm2, (y) =>
      this.attend(this.multihead_attn, this.dropout2, y, memory, memoryMasks),
    );
    return this.residual(x, this.norm3, (y) => this.feedForward(y, this.dropout3));
  }
}
