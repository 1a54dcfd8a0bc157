// F.embedding: rows of `weight` picked by integer indices, output [...indices.shape, dim].
// Positions holding paddingIdx read their row but pass no gradient to it, as in PyTorch.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { describe } from "../../ops/dispatch.js";
import { eq } from "../../ops/comparison.js";
import { where } from "../../ops/where.js";
import { indexSelect } from "../../functional/indexing.js";
import { reshape, unsqueeze } from "../../functional/shape.js";

/** Options of {@link embedding}. */
export interface EmbeddingOptions {
  /** An index whose row receives no gradient (negative counts from the end). */
  paddingIdx?: number | null;
}

/** Resolves a possibly negative paddingIdx against the number of embeddings. */
export function resolvePaddingIdx(
  op: string,
  paddingIdx: number | null | undefined,
  n: number,
): number | null {
  if (paddingIdx === undefined || paddingIdx === null) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -n || paddingIdx >= n)
    fail(op, `paddingIdx ${paddingIdx} must be an integer within num_embeddings=${n}`);
  return paddingIdx < 0 ? paddingIdx + n : paddingIdx;
}

/**
 * Looks up rows of `weight` `[V, D]` for int32 indices of any shape: `[...] → [..., D]`
 * (`F.embedding`).
 */
export function embedding(input: Tensor, weight: Tensor, opts: EmbeddingOptions = {}): Tensor {
  if (input.dtype !== "int32")
    fail("embedding", `indices must be an int32 tensor, got ${describe(input)}`);
  if (weight.ndim !== 2)
    fail(
      "embedding",
      `weight must be 2-D [num_embeddings, embedding_dim], got ${fmtShape(weight.shape)}`,
    );
  const [n, dim] = weight.shape;
  if (input.device === "cpu" && input.size > 0) {
    const ids = input.dataSync();
    const bad = ids.find((i) => i < 0 || i >= n);
    if (bad !== undefined)
      fail("embedding", `index ${bad} is out of range for num_embeddings=${n}`);
  }
  const rows = reshape(indexSelect(weight, 0, reshape(input, [-1])), [...input.shape, dim]);
  const pad = resolvePaddingIdx("embedding", opts.paddingIdx, n);
  if (pad === null || !rows.requiresGrad) return rows;
  return where(unsqueeze(eq(input, pad), -1), rows.detach(), rows);
}
