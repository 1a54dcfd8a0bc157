// TransformerDecoderLayer as in PyTorch: self-attention over the target, cross-attention to
// the encoder memory, and a feed-forward block, each with residual + LayerNorm (post-norm,
// or pre-norm with normFirst). Submodule fields carry PyTorch's names (self_attn,
// multihead_attn, norm3, dropout3, ...) so state dict keys interchange with PyTorch.
import type { Tensor } from "../../tensor/tensor.js";
import { add } from "../../ops/add.js";
import { Module } from "../module.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./layer-norm.js";
import { MultiheadAttention } from "./multihead-attention.js";
import { resolveActivation } from "./transformer-activation.js";
import type { TransformerLayerOptions } from "./transformer-encoder-layer.js";

export interface TransformerDecoderLayerForwardOptions {
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

export class TransformerDecoderLayer extends Module {
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
  readonly normFirst: boolean;
  private readonly activationFn: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const p = opts.dropout ?? 0.1;
    const bias = opts.bias ?? true;
    const dff = opts.dimFeedforward ?? 2048;
    const device = opts.device;
    const attention = () =>
      new MultiheadAttention(dModel, nhead, {
        dropout: p,
        bias,
        batchFirst: opts.batchFirst,
        device,
      });
    const norm = () => new LayerNorm(dModel, { eps: opts.layerNormEps ?? 1e-5, bias, device });
    this.self_attn = attention();
    this.multihead_attn = attention();
    this.linear1 = new Linear(dModel, dff, { bias, device });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(dff, dModel, { bias, device });
    this.norm1 = norm();
    this.norm2 = norm();
    this.norm3 = norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.dropout3 = new Dropout(p);
    this.normFirst = opts.normFirst ?? false;
    this.activationFn = resolveActivation("TransformerDecoderLayer", opts.activation ?? "relu");
  }

  private selfAttentionBlock(x: Tensor, o: TransformerDecoderLayerForwardOptions): Tensor {
    const [out] = this.self_attn.forward(x, x, x, {
      attnMask: o.tgtMask,
      keyPaddingMask: o.tgtKeyPaddingMask,
      isCausal: o.tgtIsCausal,
      needWeights: false,
    });
    return this.dropout1.forward(out);
  }

  private crossAttentionBlock(
    x: Tensor,
    memory: Tensor,
    o: TransformerDecoderLayerForwardOptions,
  ): Tensor {
    const [out] = this.multihead_attn.forward(x, memory, memory, {
      attnMask: o.memoryMask,
      keyPaddingMask: o.memoryKeyPaddingMask,
      isCausal: o.memoryIsCausal,
      needWeights: false,
    });
    return this.dropout2.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    const hidden = this.dropout.forward(this.activationFn(this.linear1.forward(x)));
    return this.dropout3.forward(this.linear2.forward(hidden));
  }

  /** tgt [T, N, E] and memory [S, N, E] ([N, ·, E] with batchFirst); returns tgt's shape. */
  forward(tgt: Tensor, memory: Tensor, opts: TransformerDecoderLayerForwardOptions = {}): Tensor {
    let x = tgt;
    if (this.normFirst) {
      x = add(x, this.selfAttentionBlock(this.norm1.forward(x), opts));
      x = add(x, this.crossAttentionBlock(this.norm2.forward(x), memory, opts));
      return add(x, this.feedForwardBlock(this.norm3.forward(x)));
    }
    x = this.norm1.forward(add(x, this.selfAttentionBlock(x, opts)));
    x = this.norm2.forward(add(x, this.crossAttentionBlock(x, memory, opts)));
    return this.norm3.forward(add(x, this.feedForwardBlock(x)));
  }
}
