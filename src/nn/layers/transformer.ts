// Transformer layers: the shared base and activation choice, the encoder and decoder layers.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { add } from "../../ops/arithmetic.js";
import { Module } from "../module.js";
import { Linear } from "./linear.js";
import { Dropout } from "./dropout.js";
import { LayerNorm } from "./normalization.js";
import {
  MultiheadAttention,
  type MultiheadAttentionForwardOptions,
} from "./multihead-attention.js";
import { fail } from "../../tensor/errors.js";
import { relu } from "../../ops/unary.js";
import { gelu } from "../../functional/math.js";

// The shared part of TransformerEncoderLayer and TransformerDecoderLayer: PyTorch's defaults
// for their sublayers, the attention and feed-forward blocks, and the residual step (post-norm,
// or pre-norm with normFirst). The subclasses declare their submodule fields themselves, in
// PyTorch's order and under PyTorch's names, so state dict keys match PyTorch's.
/** Options of the transformer layers (PyTorch's names and defaults). */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout (default 0.1). */
  dropout?: number;
  /** Feed-forward activation (default "relu"). */
  activation?: TransformerActivation;
  /** Layer norm epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are `[batch, seq, feature]` instead of `[seq, batch, feature]` (default false). */
  batchFirst?: boolean;
  /** Pre-norm: LayerNorm before each block instead of after the residual sum. */
  normFirst?: boolean;
  /** Biases in the linear and layer norm layers (default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
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
  /** Pre-norm (layer norm before each block) instead of post-norm. */
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

// The feed-forward activation of the Transformer layers: "relu", "gelu" or any function, as
// PyTorch accepts a string or a callable.
/** The feed-forward activation: `"relu"`, `"gelu"` or a function. */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor);

export function resolveActivation(
  op: string,
  activation: TransformerActivation,
): (x: Tensor) => Tensor {
  if (typeof activation === "function") return activation;
  if (activation === "relu") return (x) => relu(x);
  if (activation === "gelu") return (x) => gelu(x);
  return fail(
    op,
    `activation should be "relu" or "gelu" or a function, not ${JSON.stringify(activation)}`,
  );
}

// TransformerEncoderLayer as in PyTorch: self-attention and a feed-forward block, each with
// a residual connection and LayerNorm, post-norm by default or pre-norm with normFirst.
// Submodule fields carry PyTorch's names (self_attn, linear1, norm1, dropout1, ...) so state
// dict keys interchange with PyTorch checkpoints.
/** Per-call options of {@link TransformerEncoderLayer.forward} (PyTorch's names). */
export interface TransformerEncoderLayerForwardOptions {
  /** `[S, S]` self-attention mask: true or −∞ forbids attending. */
  srcMask?: Tensor | null;
  /** `[N, S]`: true marks padded positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (builds the mask when srcMask is absent). */
  isCausal?: boolean;
}

/**
 * One encoder layer, as `nn.TransformerEncoderLayer`: self-attention then a feed-forward block,
 * each with dropout, a residual connection and layer norm (post-norm unless `normFirst`).
 *
 * @example
 * ```ts
 * const layer = new dl.nn.TransformerEncoderLayer(64, 4, { dimFeedforward: 128, batchFirst: true });
 * const encoder = new dl.nn.TransformerEncoder(layer, 2);
 * encoder.forward(dl.randn([8, 10, 64])).shape; // [8, 10, 64]
 * ```
 */
export class TransformerEncoderLayer extends TransformerLayerBase {
  /** Self-attention. */
  self_attn: MultiheadAttention;
  /** Feed-forward expansion `[dModel → dimFeedforward]`. */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** Feed-forward projection `[dimFeedforward → dModel]`. */
  linear2: Linear;
  /** Layer norm of the attention block. */
  norm1: LayerNorm;
  /** Layer norm of the feed-forward block. */
  norm2: LayerNorm;
  /** Dropout on the attention output. */
  dropout1: Dropout;
  /** Dropout on the feed-forward output. */
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

// TransformerDecoderLayer as in PyTorch: self-attention over the target, cross-attention to
// the encoder memory, and a feed-forward block, each with residual + LayerNorm (post-norm,
// or pre-norm with normFirst). Submodule fields carry PyTorch's names (self_attn,
// multihead_attn, norm3, dropout3, ...) so state dict keys interchange with PyTorch.
/** Per-call options of {@link TransformerDecoderLayer.forward} (PyTorch's names). */
export interface TransformerDecoderLayerForwardOptions {
  /** `[T, T]` self-attention mask: true or −∞ forbids attending. */
  tgtMask?: Tensor | null;
  /** `[T, S]` mask of the attention to the memory. */
  memoryMask?: Tensor | null;
  /** `[N, T]`: true marks padded target positions. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[N, S]`: true marks padded memory positions. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (builds the mask when tgtMask is absent). */
  tgtIsCausal?: boolean;
  /** Causal attention to the memory. */
  memoryIsCausal?: boolean;
}

/**
 * One decoder layer, as `nn.TransformerDecoderLayer`: self-attention, attention to the encoder's
 * output (memory), then a feed-forward block, each with dropout, a residual connection and layer
 * norm.
 */
export class TransformerDecoderLayer extends TransformerLayerBase {
  /** Self-attention over the target. */
  self_attn: MultiheadAttention;
  /** Attention from the target to the memory. */
  multihead_attn: MultiheadAttention;
  /** Feed-forward expansion `[dModel → dimFeedforward]`. */
  linear1: Linear;
  /** Dropout inside the feed-forward block. */
  dropout: Dropout;
  /** Feed-forward projection `[dimFeedforward → dModel]`. */
  linear2: Linear;
  /** Layer norm of the self-attention block. */
  norm1: LayerNorm;
  /** Layer norm of the memory-attention block. */
  norm2: LayerNorm;
  /** Layer norm of the feed-forward block. */
  norm3: LayerNorm;
  /** Dropout on the self-attention output. */
  dropout1: Dropout;
  /** Dropout on the memory-attention output. */
  dropout2: Dropout;
  /** Dropout on the feed-forward output. */
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
