// nn.Transformer as in PyTorch ("Attention Is All You Need"): an encoder stack and a decoder
// stack, each closed by a LayerNorm, every matrix parameter re-drawn Xavier-uniform after
// construction (PyTorch's _reset_parameters). State-dict keys are PyTorch's
// (encoder.layers.0.self_attn.in_proj_weight, …, decoder.norm.bias). No embedding, positional
// encoding or output projection: src and tgt arrive already embedded, as in PyTorch.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { full } from "../../tensor/create.js";
import { triu } from "../../functional/indexing.js";
import { attr, type Attr } from "../attrs.js";
import { xavierUniform_ } from "../init.js";
import { Module } from "../module.js";
import { LayerNorm } from "./normalization.js";
import {
  type TransformerActivation,
  TransformerDecoderLayer,
  TransformerEncoderLayer,
} from "./transformer.js";
import { TransformerDecoder, TransformerEncoder } from "./transformer-stacks.js";

/** Options of {@link Transformer} (PyTorch's names and defaults). */
export interface TransformerOptions {
  /** Model feature size (default 512). */
  dModel?: number; // 512
  /** Attention heads (default 8). */
  nhead?: number; // 8
  /** Encoder layers (default 6). */
  numEncoderLayers?: number; // 6
  /** Decoder layers (default 6). */
  numDecoderLayers?: number; // 6
  /** Hidden size of the feed-forward blocks (default 2048). */
  dimFeedforward?: number; // 2048
  /** Dropout (default 0.1). */
  dropout?: number; // 0.1
  /** Feed-forward activation (default "relu"). */
  activation?: TransformerActivation; // "relu"
  /** Used instead of the built encoder stack (PyTorch's custom_encoder). */
  customEncoder?: Module | null;
  /** Used instead of the built decoder stack (PyTorch's custom_decoder). */
  customDecoder?: Module | null;
  /** Layer norm epsilon (default 1e-5). */
  layerNormEps?: number; // 1e-5
  /** Inputs are `[batch, seq, feature]` instead of `[seq, batch, feature]` (default false). */
  batchFirst?: boolean;
  /** Pre-norm layers: layer norm before attention and feed-forward (default false). */
  normFirst?: boolean;
  /** Biases in the linear and layer norm layers (default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/** Per-call masks of {@link Transformer.forward} (PyTorch's names). */
export interface TransformerForwardOptions {
  /** `[S, S]` mask of the encoder's self-attention. */
  srcMask?: Tensor | null;
  /**
   * `[T, T]` mask of the decoder's self-attention (see {@link
   * Transformer.generateSquareSubsequentMask}).
   */
  tgtMask?: Tensor | null;
  /** `[T, S]` mask of the decoder's attention to the encoder output. */
  memoryMask?: Tensor | null;
  /** `[N, S]`: true marks padded source positions. */
  srcKeyPaddingMask?: Tensor | null;
  /** `[N, T]`: true marks padded target positions. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[N, S]`: true marks padded memory positions. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal encoder self-attention (builds the mask when srcMask is absent). */
  srcIsCausal?: boolean;
  /** Causal decoder self-attention (builds the mask when tgtMask is absent). */
  tgtIsCausal?: boolean;
  /** Causal attention to the memory. */
  memoryIsCausal?: boolean;
}

/**
 * The encoder-decoder Transformer of "Attention Is All You Need", as `nn.Transformer`:
 * `forward(src, tgt, masks?)` → `[T, N, dModel]` (`[N, T, dModel]` with batchFirst).
 *
 * @example
 * ```ts
 * const model = new dl.nn.Transformer({
 *   dModel: 32,
 *   nhead: 4,
 *   numEncoderLayers: 2,
 *   numDecoderLayers: 2,
 *   batchFirst: true,
 * });
 * const tgtMask = dl.nn.Transformer.generateSquareSubsequentMask(7);
 * model.forward(dl.randn([2, 9, 32]), dl.randn([2, 7, 32]), { tgtMask }).shape; // [2, 7, 32]
 * ```
 */
export class Transformer extends Module {
  /** The encoder stack (with its final layer norm). */
  encoder: Module;
  /** The decoder stack (with its final layer norm). */
  decoder: Module;
  /** Model feature size. */
  readonly dModel: number;
  /** Attention heads. */
  readonly nhead: number;
  /** Whether inputs are `[batch, seq, feature]`. */
  readonly batchFirst: boolean;

  constructor(opts: TransformerOptions = {}) {
    super();
    this.dModel = opts.dModel ?? 512;
    this.nhead = opts.nhead ?? 8;
    this.batchFirst = opts.batchFirst ?? false;
    const { dimFeedforward, dropout, activation, batchFirst, normFirst, bias, device } = opts;
    const eps = opts.layerNormEps ?? 1e-5;
    const layerNormEps = eps;
    const layerOpts = {
      dimFeedforward,
      dropout,
      activation,
      batchFirst,
      normFirst,
      bias,
      device,
      layerNormEps,
    };
    const norm = () => new LayerNorm(this.dModel, { eps, bias, device });
    this.encoder =
      opts.customEncoder ??
      new TransformerEncoder(
        new TransformerEncoderLayer(this.dModel, this.nhead, layerOpts),
        opts.numEncoderLayers ?? 6,
        { norm: norm() },
      );
    this.decoder =
      opts.customDecoder ??
      new TransformerDecoder(
        new TransformerDecoderLayer(this.dModel, this.nhead, layerOpts),
        opts.numDecoderLayers ?? 6,
        { norm: norm() },
      );
    this.resetParameters();
  }

  /** Xavier-uniform for every parameter with more than one dim, as PyTorch does. */
  resetParameters(): void {
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
  }

  /**
   * src [S, N, E] and tgt [T, N, E] ([N, ·, E] with batchFirst, or unbatched [·, E]);
   * returns [T, N, E] (tgt's layout).
   */
  forward(src: Tensor, tgt: Tensor, opts: TransformerForwardOptions = {}): Tensor {
    this.checkInputs(src, tgt);
    const memory = this.encoder.forward(src, {
      mask: opts.srcMask,
      srcKeyPaddingMask: opts.srcKeyPaddingMask,
      isCausal: opts.srcIsCausal,
    }) as Tensor;
    return this.decoder.forward(tgt, memory, {
      tgtMask: opts.tgtMask,
      memoryMask: opts.memoryMask,
      tgtKeyPaddingMask: opts.tgtKeyPaddingMask,
      memoryKeyPaddingMask: opts.memoryKeyPaddingMask,
      tgtIsCausal: opts.tgtIsCausal,
      memoryIsCausal: opts.memoryIsCausal,
    }) as Tensor;
  }

  private checkInputs(src: Tensor, tgt: Tensor): void {
    const shapes = `src ${fmtShape(src.shape)}, tgt ${fmtShape(tgt.shape)}`;
    if (src.ndim !== tgt.ndim || src.ndim < 2 || src.ndim > 3)
      fail(
        "Transformer",
        `src and tgt must both be 3-D (batched) or 2-D (unbatched); got ${shapes}`,
      );
    const batchDim = this.batchFirst ? 0 : 1;
    if (src.ndim === 3 && src.shape[batchDim] !== tgt.shape[batchDim])
      fail(
        "Transformer",
        `the batch sizes of src and tgt must be equal (dim ${batchDim}); got ${shapes}`,
      );
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel)
      fail(
        "Transformer",
        `the feature size of src and tgt must be dModel ${this.dModel}; got ${shapes}`,
      );
  }

  /**
   * A causal mask for sz positions: 0 on and below the diagonal, −∞ above (position i may
   * attend to positions ≤ i), as PyTorch's generate_square_subsequent_mask.
   */
  static generateSquareSubsequentMask(sz: number, opts: { device?: Device } = {}): Tensor {
    if (!Number.isInteger(sz) || sz < 0)
      fail(
        "Transformer.generateSquareSubsequentMask",
        `sz must be a non-negative integer, got ${sz}`,
      );
    return triu(full([sz, sz], -Infinity, { device: opts.device }), 1);
  }

  override attrs(): Attr[] {
    return [
      attr.int("d_model", this.dModel, { quiet: true }),
      attr.int("nhead", this.nhead, { quiet: true }),
    ];
  }
}
