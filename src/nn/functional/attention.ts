// Scaled dot-product attention, softmax(q kᵀ · scale + mask) v, with PyTorch's mask
// conventions for F.scaled_dot_product_attention: a bool mask says where attention is
// ALLOWED (true = attend), a float mask is added to the scores, `causal` allows key j for
// query i when j <= i (the top-left aligned lower triangle).
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { arange } from "../../tensor/create.js";
import { describe } from "../../ops/dispatch.js";
import { add, sub, mul, div } from "../../ops/arithmetic.js";
import { exp } from "../../ops/unary.js";
import { eq, le } from "../../ops/comparison.js";
import { max, sum } from "../../ops/reductions.js";
import { view } from "../../ops/views.js";
import { where } from "../../ops/where.js";
import { matmul } from "../../functional/linalg.js";
import { transpose } from "../../functional/shape.js";
import { dropout } from "./dropout.js";

/** Options of {@link scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /** Bool (true = may attend) or float (added to the scores), broadcastable to [..., L, S]. */
  mask?: Tensor | null;
  /** Query i attends to keys 0..i only; cannot be combined with `mask`. */
  causal?: boolean;
  /** Dropout on the attention weights (applied whenever > 0, as in PyTorch). */
  dropoutP?: number;
  /** Score scale; default 1/√E with E the query's last dim. */
  scale?: number;
}

/** Bool [L, S], true where key j <= query i. */
export function causalMask(L: number, S: number, device: Tensor["device"]): Tensor {
  const rows = view(arange(L, undefined, 1, { device }), [L, 1]);
  const cols = view(arange(S, undefined, 1, { device }), [1, S]);
  return le(cols, rows);
}

/**
 * Softmax over the last dim that gives zeros, not NaN, for rows where every score is −∞
 * (fully masked queries, e.g. padded positions), as PyTorch's attention does since 2.5.
 */
export function maskedSoftmax(scores: Tensor): Tensor {
  const m = max(scores, -1, true).detach();
  const e = exp(sub(scores, where(eq(m, -Infinity), 0, m)));
  const total = sum(e, -1, true);
  return div(e, where(eq(total, 0), 1, total));
}

/** Applies a bool (true = attend) or additive float mask to scores. */
export function applyMask(op: string, scores: Tensor, mask: Tensor): Tensor {
  if (mask.dtype === "bool") return where(mask, scores, -Infinity);
  if (mask.dtype === "float32") return add(scores, mask);
  return fail(op, `mask must be bool or float32, got ${describe(mask)}`);
}

/** The attention weights softmax(q kᵀ · scale + mask), before any dropout. */
export function attentionWeights(
  op: string,
  q: Tensor,
  k: Tensor,
  opts: Omit<ScaledDotProductAttentionOptions, "dropoutP"> = {},
): Tensor {
  const E = q.shape[q.ndim - 1];
  const scale = opts.scale ?? 1 / Math.sqrt(E);
  let scores = mul(matmul(q, transpose(k, -2, -1)), scale);
  if (opts.causal)
    scores = applyMask(op, scores, causalMask(q.shape[q.ndim - 2], k.shape[k.ndim - 2], q.device));
  if (opts.mask) scores = applyMask(op, scores, opts.mask);
  return maskedSoftmax(scores);
}

/** q [..., L, E], k [..., S, E], v [..., S, Ev] → [..., L, Ev]; batch dims broadcast. */
export function scaledDotProductAttention(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  opts: ScaledDotProductAttentionOptions = {},
): Tensor {
  const op = "scaledDotProductAttention";
  const ok =
    q.ndim >= 2 &&
    k.ndim >= 2 &&
    v.ndim >= 2 &&
    q.shape[q.ndim - 1] === k.shape[k.ndim - 1] &&
    k.shape[k.ndim - 2] === v.shape[v.ndim - 2];
  if (!ok)
    fail(
      op,
      `expected q [..., L, E], k [..., S, E], v [..., S, Ev]; got q ${fmtShape(q.shape)}, k ${fmtShape(k.shape)}, v ${fmtShape(v.shape)}`,
    );
  if (opts.causal && opts.mask)
    fail(op, "pass either a mask or causal: true, not both (fold the causal part into the mask)");
  const p = opts.dropoutP ?? 0;
  if (!(p >= 0 && p <= 1)) fail(op, `dropoutP must be in [0, 1], got ${p}`);
  const weights = attentionWeights(op, q, k, opts);
  return matmul(p > 0 ? dropout(weights, p, true) : weights, v);
}
