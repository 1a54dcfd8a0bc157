// F.multiHeadAttentionForward: PyTorch's multi_head_attention_forward on time-major inputs
// (query [L, N, E], key/value [S, N, kdim/vdim], or unbatched [L, E]). Masks follow
// nn.MultiheadAttention's convention, the opposite of scaledDotProductAttention's: a bool
// true means "do not attend"; float masks are added to the scores.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { describe } from "../../ops/dispatch.js";
import { add } from "../../ops/arithmetic.js";
import { view, permute } from "../../ops/views.js";
import { where } from "../../ops/where.js";
import { matmul } from "../../functional/linalg.js";
import { mean } from "../../functional/math.js";
import { narrow, reshape, split, squeeze, unsqueeze } from "../../functional/shape.js";
import { linear } from "./linear.js";
import { dropout } from "./dropout.js";
import { attentionWeights, causalMask } from "./attention.js";

/**
 * The parameters of a multi-head attention, as PyTorch's `F.multi_head_attention_forward` takes
 * them.
 */
export interface MultiHeadAttentionWeights {
  /** Number of heads; the embedding size must divide by it. */
  numHeads: number;
  /** Packed [3E, E] projection (when query, key and value share the embedding size). */
  inProjWeight?: Tensor | null;
  /** Separate projections [E, E], [E, kdim], [E, vdim] (used when inProjWeight is absent). */
  qProjWeight?: Tensor | null;
  /** Key projection [E, kdim] (with qProjWeight and vProjWeight). */
  kProjWeight?: Tensor | null;
  /** Value projection [E, vdim] (with qProjWeight and kProjWeight). */
  vProjWeight?: Tensor | null;
  /** Bias of the input projections, [3E] (default none). */
  inProjBias?: Tensor | null;
  /** Output projection [E, E]. */
  outProjWeight: Tensor;
  /** Output projection bias [E] (default none). */
  outProjBias?: Tensor | null;
}

/** Options of {@link multiHeadAttentionForward}. */
export interface AttentionForwardOptions {
  /** [N, S] (or [S] unbatched): true / −∞ marks padded keys to ignore. */
  keyPaddingMask?: Tensor | null;
  /** [L, S] or [N·numHeads, L, S]: true / −∞ forbids attending. */
  attnMask?: Tensor | null;
  /** Also return the attention weights (default true). */
  needWeights?: boolean;
  /** Average the returned weights over heads (default true). */
  averageAttnWeights?: boolean;
  /** Apply the causal mask (used when attnMask is absent; with attnMask, a hint as in PyTorch). */
  isCausal?: boolean;
  /** Dropout on the attention weights while training (default 0). */
  dropoutP?: number;
  /** Training mode: dropout applies (default true). */
  training?: boolean;
}

const OP = "multiHeadAttentionForward";

/** q, k, v projections; one matmul for self-attention with a packed weight. */
function project(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  w: MultiHeadAttentionWeights,
  E: number,
): Tensor[] {
  const bias = (i: number) => (w.inProjBias ? narrow(w.inProjBias, 0, i * E, E) : null);
  if (w.inProjWeight) {
    if (query === key && key === value)
      return split(linear(query, w.inProjWeight, w.inProjBias), E, -1);
    const parts = split(w.inProjWeight, E, 0);
    return [query, key, value].map((x, i) => linear(x, parts[i], bias(i)));
  }
  if (!w.qProjWeight || !w.kProjWeight || !w.vProjWeight)
    fail(OP, "needs inProjWeight or all of qProjWeight, kProjWeight and vProjWeight");
  return [w.qProjWeight, w.kProjWeight, w.vProjWeight].map((pw, i) =>
    linear([query, key, value][i], pw, bias(i)),
  );
}

/** Turns a bool (true = masked) or float mask into an additive float mask. */
function additive(name: string, mask: Tensor): Tensor {
  if (mask.dtype === "bool") return where(mask, -Infinity, 0);
  if (mask.dtype !== "float32") fail(OP, `${name} must be bool or float32, got ${describe(mask)}`);
  return mask;
}

/** attnMask and keyPaddingMask as one additive mask broadcastable to [N, H, L, S]. */
function combinedMask(
  opts: AttentionForwardOptions,
  N: number,
  H: number,
  L: number,
  S: number,
  device: Tensor["device"],
): Tensor | null {
  let mask: Tensor | null = null;
  const attn = opts.attnMask;
  if (!attn && opts.isCausal) mask = where(causalMask(L, S, device), 0, -Infinity);
  if (attn) {
    const as2d = attn.ndim === 2 && attn.shape[0] === L && attn.shape[1] === S;
    const as3d = attn.ndim === 3 && attn.shape.join() === [N * H, L, S].join();
    if (!as2d && !as3d)
      fail(
        OP,
        `attnMask must be [${L}, ${S}] or [${N * H}, ${L}, ${S}], got ${fmtShape(attn.shape)}`,
      );
    mask = additive("attnMask", as2d ? attn : view(attn, [N, H, L, S]));
  }
  if (opts.keyPaddingMask) {
    const kpm = opts.keyPaddingMask;
    if (kpm.shape.join() !== [N, S].join())
      fail(OP, `keyPaddingMask must be [${N}, ${S}], got ${fmtShape(kpm.shape)}`);
    const padded = additive("keyPaddingMask", view(kpm, [N, 1, 1, S]));
    mask = mask ? add(mask, padded) : padded;
  }
  return mask;
}

/** [T, N, E] → [N, H, T, E/H]. */
const heads = (x: Tensor, H: number): Tensor => {
  const [T, N, E] = x.shape;
  return permute(reshape(x, [T, N, H, E / H]), [1, 2, 0, 3]);
};

function checkInputs(query: Tensor, key: Tensor, value: Tensor, E: number, H: number): void {
  const batched = query.ndim === 3;
  const ok =
    (query.ndim === 2 || batched) &&
    key.ndim === query.ndim &&
    value.ndim === query.ndim &&
    query.shape[query.ndim - 1] === E &&
    key.shape[0] === value.shape[0] &&
    (!batched || (key.shape[1] === query.shape[1] && value.shape[1] === query.shape[1]));
  if (!ok)
    fail(
      OP,
      `expected query [L, N, ${E}], key [S, N, kdim] and value [S, N, vdim] (or unbatched without N); ` +
        `got query ${fmtShape(query.shape)}, key ${fmtShape(key.shape)}, value ${fmtShape(value.shape)}`,
    );
  if (!Number.isInteger(H) || H < 1 || E % H !== 0)
    fail(OP, `embedDim ${E} must be divisible by numHeads ${H}`);
}

/** Returns [output [L, N, E], weights [N, L, S] (averaged) or [N, H, L, S], or null]. */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  w: MultiHeadAttentionWeights,
  opts: AttentionForwardOptions = {},
): [Tensor, Tensor | null] {
  const E = w.outProjWeight.shape[0];
  const H = w.numHeads;
  checkInputs(query, key, value, E, H);
  if (query.ndim === 2) {
    const kpm = opts.keyPaddingMask ? unsqueeze(opts.keyPaddingMask, 0) : null;
    const [out, weights] = multiHeadAttentionForward(
      unsqueeze(query, 1),
      unsqueeze(key, 1),
      unsqueeze(value, 1),
      w,
      { ...opts, keyPaddingMask: kpm },
    );
    return [squeeze(out, 1), weights ? squeeze(weights, 0) : null];
  }
  const [L, N] = query.shape;
  const S = key.shape[0];
  const [q, k, v] = project(query, key, value, w, E).map((x) => heads(x, H));
  const mask = combinedMask(opts, N, H, L, S, query.device);
  let weights = attentionWeights(OP, q, k, { mask });
  const p = opts.dropoutP ?? 0;
  if (p > 0 && (opts.training ?? true)) weights = dropout(weights, p, true);
  const context = reshape(permute(matmul(weights, v), [2, 0, 1, 3]), [L, N, E]);
  const out = linear(context, w.outProjWeight, w.outProjBias);
  if (!(opts.needWeights ?? true)) return [out, null];
  return [out, (opts.averageAttnWeights ?? true) ? mean(weights, 1) : weights];
}
