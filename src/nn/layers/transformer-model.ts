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

export interface TransformerOptions {
  dModel?: number; // 512
  nhead?: number; // 8
  numEncoderLayers?: number; // 6
  numDecoderLayers?: number; // 6
  dimFeedforward?: number; // 2048
  dropout?: number; // 0.1
  activation?: TransformerActivation; // "relu"
  /** Used instead of the built encoder stack (PyTorch's custom_encoder). */
  customEncoder?: Module | null;
  /** Used instead of the built decoder stack (PyTorch's custom_decoder). */
  customDecoder?: Module | null;
  layerNormEps?: number; // 1e-5
  batchFirst?: boolean;
  normFirst?: boolean;
  bias?: boolean;
  device?: Device;
}

export interface TransformerForwardOptions {
  srcMask?: Tensor | null;
  tgtMask?: Tensor | null;
  memoryMask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  tgtKeyPaddingMask?: Tensor | null;
  memoryKeyPaddingMask?: Tensor | null;
  srcIsCausal?: boolean;
  tgtIsCausal?: boolean;
  memoryIsCausal?: boolean;
}

export class Transformer extends Module {
  encoder: Module;
  decoder: Module;
  readonly dModel: number;
  readonly nhead: number;
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
