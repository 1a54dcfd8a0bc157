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

export interface EmbeddingLayerOptions {
  paddingIdx?: number | null;
  device?: Device;
}

export class Embedding extends Module {
  weight: Parameter;
  readonly paddingIdx: number | null;

  constructor(
    readonly numEmbeddings: number,
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

  resetParameters(): void {
    normal_(this.weight);
    const pad = this.paddingIdx;
    if (pad === null) return;
    noGrad(() => {
      const rows = view(
        arange(this.numEmbeddings, undefined, 1, { device: this.weight.device }),
        [-1, 1],
      );
      this.weight._assign(where(eq(rows, pad), 0, this.weight));
    });
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
