// TransformerEncoderLayer as in PyTorch: self-attention and a feed-forward block, each with
// a residual connection and LayerNorm, post-norm by default or pre-norm with normFirst.
// Submodule fields carry PyTorch's names (self_attn, linear1, norm1, dropout1, ...) so state
// dict keys interchange with PyTorch checkpoints.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { add } from "../../ops/add.js";
import { Module } from "../module.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./layer-norm.js";
import { MultiheadAttention } from "./multihead-attention.js";
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

export interface TransformerEncoderLayerForwardOptions {
  srcMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

export class TransformerEncoderLayer extends Module {
  self_attn: MultiheadAttention;
  linear1: Linear;
  dropout: Dropout;
  linear2: Linear;
  norm1: LayerNorm;
  norm2: LayerNorm;
  dropout1: Dropout;
  dropout2: Dropout;
  readonly normFirst: boolean;
  private readonly activationFn: (x: Tensor) => Tensor;

  constructor(dModel: number, nhead: number, opts: TransformerLayerOptions = {}) {
    super();
    const p = opts.dropout ?? 0.1;
    const bias = opts.bias ?? true;
    const dff = opts.dimFeedforward ?? 2048;
    const device = opts.device;
    const norm = () => new LayerNorm(dModel, { eps: opts.layerNormEps ?? 1e-5, bias, device });
    this.self_attn = new MultiheadAttention(dModel, nhead, {
      dropout: p,
      bias,
      batchFirst: opts.batchFirst,
      device,
    });
    this.linear1 = new Linear(dModel, dff, { bias, device });
    this.dropout = new Dropout(p);
    this.linear2 = new Linear(dff, dModel, { bias, device });
    this.norm1 = norm();
    this.norm2 = norm();
    this.dropout1 = new Dropout(p);
    this.dropout2 = new Dropout(p);
    this.normFirst = opts.normFirst ?? false;
    this.activationFn = resolveActivation("TransformerEncoderLayer", opts.activation ?? "relu");
  }

  private selfAttentionBlock(x: Tensor, opts: TransformerEncoderLayerForwardOptions): Tensor {
    const [out] = this.self_attn.forward(x, x, x, {
      attnMask: opts.srcMask,
      keyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.isCausal,
      needWeights: false,
    });
    return this.dropout1.forward(out);
  }

  private feedForwardBlock(x: Tensor): Tensor {
    const hidden = this.dropout.forward(this.activationFn(this.linear1.forward(x)));
    return this.dropout2.forward(this.linear2.forward(hidden));
  }

  /** src [S, N, E] ([N, S, E] with batchFirst, or unbatched [S, E]); returns the same shape. */
  forward(src: Tensor, opts: TransformerEncoderLayerForwardOptions = {}): Tensor {
    let x = src;
    if (this.normFirst) {
      x = add(x, this.selfAttentionBlock(this.norm1.forward(x), opts));
      return add(x, this.feedForwardBlock(this.norm2.forward(x)));
    }
    x = this.norm1.forward(add(x, this.selfAttentionBlock(x, opts)));
    return this.norm2.forward(add(x, this.feedForwardBlock(x)));
  }
}
