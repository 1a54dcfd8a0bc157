// Embedding: a lookup table [numEmbeddings, embeddingDim] initialised N(0, 1), indexed by
// int32 tensors. The paddingIdx row starts at zero and never receives a gradient.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkAllocation } from "../../tensor/validate.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { noGrad } from "../../autograd/mode.js";
import { where } from "../../ops/where.js";
import { eq } from "../../ops/comparison.js";
import { view } from "../../ops/views.js";
import { arange } from "../../tensor/create.js";
import { empty, normal_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { embedding, resolvePaddingIdx } from "../functional/embedding.js";
import {
  embeddingBag,
  type EmbeddingBagMode,
  type EmbeddingBagOptions,
} from "../functional/embedding-bag.js";

/** N(0, 1) rows, the padding row (if any) zero: PyTorch's Embedding and EmbeddingBag init. */
function resetTable(weight: Parameter, paddingIdx: number | null): void {
  normal_(weight);
  if (paddingIdx === null) return;
  noGrad(() => {
    const rows = view(arange(weight.shape[0], undefined, 1, { device: weight.device }), [-1, 1]);
    weight._assign(where(eq(rows, paddingIdx), 0, weight));
  });
}

/** Options of {@link Embedding}. */
export interface EmbeddingLayerOptions {
  /**
   * An index whose row is zero-initialised and receives no gradient (negative counts from the end).
   */
  paddingIdx?: number | null;
  /** Where the weight lives (default: the current device). */
  device?: Device;
}

/**
 * A lookup table of learned vectors, as `nn.Embedding`: int32 indices `[...]` → `[...,
 * embeddingDim]`.
 *
 * @example
 * ```ts
 * const emb = new dl.nn.Embedding(1000, 32);
 * emb.forward(dl.tensor([[1, 2, 3]])).shape; // [1, 3, 32]
 * ```
 */
export class Embedding extends Module {
  /** The table `[numEmbeddings, embeddingDim]`, N(0, 1) as in PyTorch. */
  weight: Parameter;
  /** The padding index, resolved to be non-negative, or null. */
  readonly paddingIdx: number | null;

  constructor(
    /** Size of the vocabulary (rows of the table). */
    readonly numEmbeddings: number,
    /** Size of each embedding vector. */
    readonly embeddingDim: number,
    opts: EmbeddingLayerOptions = {},
  ) {
    super();
    for (const [label, n] of [
      ["numEmbeddings", numEmbeddings],
      ["embeddingDim", embeddingDim],
    ] as const)
      if (!Number.isInteger(n) || n < 1)
        fail("Embedding", `${label} must be a positive integer, got ${n}`);
    checkAllocation("Embedding", [numEmbeddings, embeddingDim], "float32");
    this.paddingIdx = resolvePaddingIdx("Embedding", opts.paddingIdx, numEmbeddings);
    this.weight = new Parameter(empty([numEmbeddings, embeddingDim], opts.device));
    this.resetParameters();
  }

  /** A table holding `embeddings` [n, dim] (frozen unless freeze is false). */
  static fromPretrained(
    embeddings: Tensor,
    opts: { freeze?: boolean; paddingIdx?: number | null } = {},
  ): Embedding {
    if (embeddings.ndim !== 2)
      fail("Embedding.fromPretrained", `embeddings must be 2-D, got ${fmtShape(embeddings.shape)}`);
    const [n, dim] = embeddings.shape;
    const e = new Embedding(n, dim, { paddingIdx: opts.paddingIdx, device: embeddings.device });
    noGrad(() => e.weight._assign(embeddings.detach()));
    e.weight.requiresGrad = !(opts.freeze ?? true);
    return e;
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    resetTable(this.weight, this.paddingIdx);
  }

  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, { paddingIdx: this.paddingIdx });
  }

  override attrs(): Attr[] {
    return [
      attr.int("num_embeddings", this.numEmbeddings, { positional: true }),
      attr.int("embedding_dim", this.embeddingDim, { positional: true }),
      attr.int("padding_idx", this.paddingIdx, { quiet: this.paddingIdx === null }),
    ];
  }
}

// EmbeddingBag: an Embedding whose looked-up rows are reduced per bag (sum, mean or max)
// without returning them, as PyTorch's (text classification over bags of tokens). Same
// table and initialisation as Embedding; see F.embeddingBag for bags and offsets.
/** Options of {@link EmbeddingBag}. */
export interface EmbeddingBagLayerOptions {
  /** How a bag's rows combine (default "mean"). */
  mode?: EmbeddingBagMode; // "mean"
  /** offsets has B + 1 entries, the last one the input's length. */
  includeLastOffset?: boolean;
  /** An index whose row is excluded from every bag (negative counts from the end). */
  paddingIdx?: number | null;
  /** Where the weight lives (default: the current device). */
  device?: Device;
}

/** Per-call options of {@link EmbeddingBag.forward}: offsets and per-sample weights. */
export type EmbeddingBagForwardOptions = Pick<EmbeddingBagOptions, "offsets" | "perSampleWeights">;

/**
 * Sums, averages or max-pools the embeddings of each bag of indices, as `nn.EmbeddingBag`: `[B, L]`
 * (or 1-D with offsets) → `[B, embeddingDim]`.
 */
export class EmbeddingBag extends Module {
  /** The table `[numEmbeddings, embeddingDim]`, N(0, 1). */
  weight: Parameter;
  /** How a bag's rows combine. */
  readonly mode: EmbeddingBagMode;
  /** Whether offsets include the input's length as a last entry. */
  readonly includeLastOffset: boolean;
  /** The padding index, or null. */
  readonly paddingIdx: number | null;

  constructor(
    /** Size of the vocabulary. */
    readonly numEmbeddings: number,
    /** Size of each embedding vector. */
    readonly embeddingDim: number,
    opts: EmbeddingBagLayerOptions = {},
  ) {
    super();
    // The table, its checks and its initialisation are Embedding's.
    const table = new Embedding(numEmbeddings, embeddingDim, opts);
    this.weight = table.weight;
    this.paddingIdx = table.paddingIdx;
    this.mode = opts.mode ?? "mean";
    if (!["sum", "mean", "max"].includes(this.mode))
      fail("EmbeddingBag", `mode must be "sum", "mean" or "max", got ${JSON.stringify(this.mode)}`);
    this.includeLastOffset = opts.includeLastOffset ?? false;
  }

  /** Re-draws the weight from N(0, 1) and zeroes the padding row. */
  resetParameters(): void {
    resetTable(this.weight, this.paddingIdx);
  }

  /** input [bags, length], or 1-D with offsets (bag starts); returns [bags, embeddingDim]. */
  forward(input: Tensor, opts: EmbeddingBagForwardOptions = {}): Tensor {
    return embeddingBag(input, this.weight, {
      ...opts,
      mode: this.mode,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  override attrs(): Attr[] {
    return [
      attr.int("num_embeddings", this.numEmbeddings, { positional: true }),
      attr.int("embedding_dim", this.embeddingDim, { positional: true }),
      attr.text("mode", this.mode),
      attr.int("padding_idx", this.paddingIdx, { quiet: this.paddingIdx === null }),
    ];
  }
}
