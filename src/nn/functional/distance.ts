// Distances and similarities between vectors, as torch.nn.functional's normalize,
// cosine_similarity and pairwise_distance. Composed from norm, so the zero vector's gradient
// is zero (no 0/0 reaches the graph) and every device runs them.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { checkTensor } from "../../tensor/validate.js";
import { broadcastShapes, normDim } from "../../tensor/shape.js";
import { expand } from "../../ops/views.js";
import { add, div, maximum, mul, sub } from "../../ops/arithmetic.js";
import { sum } from "../../ops/reductions.js";
import { norm } from "../../functional/norms.js";

/** Options of {@link normalize}. */
export interface NormalizeOptions {
  /** The norm's order (default 2). */
  p?: number;
  /** The dim whose vectors are scaled to unit norm (default 1). */
  dim?: number;
  /** Lower bound on the divisor, so a zero vector stays zero (default 1e-12). */
  eps?: number;
}

/** A float32 tensor, or a DendriteError naming `op` (as PyTorch refuses integer inputs). */
function checkFloat(op: string, x: Tensor, name?: string): Tensor {
  const t = checkTensor(op, x, name);
  if (t.dtype !== "float32")
    fail(op, `expected a float32 ${name ?? "input"}, got ${t.dtype} ${fmtShape(t.shape)}`);
  return t;
}

function checkEps(op: string, eps: number): void {
  if (typeof eps !== "number" || !(eps >= 0)) fail(op, `eps must be a number >= 0, got ${eps}`);
}

/**
 * x / max(‖x‖ₚ, eps) along `dim` (`F.normalize`): every vector along that dim scaled to unit
 * p-norm.
 *
 * @example
 * ```ts
 * const x = dl.tensor([[3, 4]], { dtype: "float32" });
 * const unit = dl.nn.functional.normalize(x, { dim: 1 }); // [[0.6, 0.8]]
 * ```
 */
export function normalize(x: Tensor, opts: NormalizeOptions = {}): Tensor {
  const t = checkFloat("normalize", x);
  const { p = 2, dim = 1, eps = 1e-12 } = opts;
  checkEps("normalize", eps);
  const d = normDim("normalize", dim, t.ndim);
  return div(t, maximum(norm(t, p, d, true), eps));
}

/**
 * x1 and x2 broadcast to one shape (as PyTorch does before measuring), with `dim` in range;
 * or a DendriteError naming `op` and both shapes.
 */
function broadcastPair(op: string, x1: Tensor, x2: Tensor, dim: number): [Tensor, Tensor, number] {
  const a = checkFloat(op, x1, "x1");
  const b = checkFloat(op, x2, "x2");
  const shape = broadcastShapes(op, a.shape, b.shape);
  const d = normDim(op, dim, shape.length);
  return [expand(a, shape), expand(b, shape), d];
}

/**
 * Cosine similarity x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along `dim` (default 1), the dim
 * removed; x1 and x2 broadcast (`F.cosine_similarity`).
 *
 * @example
 * ```ts
 * const a = dl.tensor([[1, 0]], { dtype: "float32" });
 * const b = dl.tensor([[1, 1]], { dtype: "float32" });
 * const s = dl.nn.functional.cosineSimilarity(a, b); // [0.7071]
 * ```
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, dim = 1, eps = 1e-8): Tensor {
  const [a, b, d] = broadcastPair("cosineSimilarity", x1, x2, dim);
  checkEps("cosineSimilarity", eps);
  return div(sum(mul(a, b), d), mul(maximum(norm(a, 2, d), eps), maximum(norm(b, 2, d), eps)));
}

/**
 * The p-norm of x1 − x2 + eps along the last dim (`F.pairwise_distance`, default p = 2,
 * eps = 1e-6): row i of x1 against row i of x2, broadcasting.
 */
export function pairwiseDistance(
  x1: Tensor,
  x2: Tensor,
  p = 2,
  eps = 1e-6,
  keepdim = false,
): Tensor {
  const [a, b] = broadcastPair("pairwiseDistance", x1, x2, -1);
  checkEps("pairwiseDistance", eps);
  if (typeof p !== "number" || !(p >= 0))
    fail("pairwiseDistance", `p must be a number >= 0, got ${p}`);
  return norm(add(sub(a, b), eps), p, -1, keepdim);
}
