// Categorical over the last dim, PyTorch's torch.distributions.Categorical: built from probs
// (non-negative weights, normalised here) or logits (normalised to log-probabilities), with
// sample, logProb and entropy. logProb is differentiable in the parameters, as REINFORCE needs.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { checkTensor } from "../tensor/validate.js";
import type { Generator } from "../tensor/random.js";
import { broadcastShapes } from "../tensor/shape.js";
import { describe } from "../ops/dispatch.js";
import { div, mul, sub } from "../ops/arithmetic.js";
import { exp, log, neg } from "../ops/unary.js";
import { sum } from "../ops/reductions.js";
import { gather } from "../ops/indexing.js";
import { expand } from "../ops/views.js";
import { clamp, logsumexp } from "../functional/math.js";
import { reshape, squeeze, transpose, unsqueeze } from "../functional/shape.js";
import { multinomial } from "../functional/sampling.js";

/** Either probabilities or logits (unnormalised log-probabilities) over the last dim. */
export type CategoricalParams =
  | {
      /** Probabilities over the last dim (normalised here). */
      probs: Tensor;
      /** Not with probs. */
      logits?: never;
    }
  | {
      /** Unnormalised log-probabilities over the last dim. */
      logits: Tensor;
      /** Not with logits. */
      probs?: never;
    };

const FLOAT32_LOWEST = -3.4028234663852886e38;

/**
 * A categorical distribution over the last dim of `probs` or `logits`, as
 * `torch.distributions.Categorical`: sample, logProb, entropy.
 */
export class Categorical {
  /** Normalised probabilities, shape batchShape + [n]. */
  readonly probs: Tensor;
  /** Normalised log-probabilities (logits minus their logsumexp), same shape. */
  readonly logits: Tensor;
  /** The shape of the batch of distributions: probs' shape without the last dim. */
  readonly batchShape: readonly number[];
  /** The number of categories. */
  readonly numEvents: number;

  constructor(params: CategoricalParams) {
    const op = "distributions.Categorical";
    const given = params as { probs?: Tensor; logits?: Tensor };
    if ((given.probs === undefined) === (given.logits === undefined))
      fail(op, "expected exactly one of { probs } or { logits }");
    const raw = checkTensor(op, given.probs ?? given.logits, given.probs ? "probs" : "logits");
    if (raw.dtype !== "float32") fail(op, `parameters must be float32, got ${describe(raw)}`);
    if (raw.ndim === 0 || raw.shape[raw.ndim - 1] === 0)
      fail(op, `parameters need a non-empty last dim of categories, got ${fmtShape(raw.shape)}`);
    if (given.probs) {
      this.probs = div(raw, sum(raw, -1, true));
      this.logits = log(this.probs);
    } else {
      this.logits = sub(raw, logsumexp(raw, -1, true));
      this.probs = exp(this.logits);
    }
    this.batchShape = raw.shape.slice(0, -1);
    this.numEvents = raw.shape[raw.ndim - 1];
  }

  /** int32 category indices of shape sampleShape + batchShape. */
  sample(sampleShape: readonly number[] = [], opts: { generator?: Generator } = {}): Tensor {
    const m = sampleShape.reduce((a, b) => a * b, 1);
    const rows = reshape(this.probs.detach(), [-1, this.numEvents]);
    const drawn = multinomial(rows, Math.max(m, 1), { replacement: true, ...opts }); // [B, m]
    const sampleFirst = transpose(drawn, 0, 1); // [m, B]
    return reshape(m === 0 ? sampleFirst.narrow(0, 0, 0) : sampleFirst, [
      ...sampleShape,
      ...this.batchShape,
    ]);
  }

  /** log P(value) for int32 category indices broadcastable against batchShape. */
  logProb(value: Tensor): Tensor {
    const op = "Categorical.logProb";
    const v = checkTensor(op, value, "value");
    if (v.dtype !== "int32") fail(op, `value must hold int32 category indices, got ${describe(v)}`);
    const shape = broadcastShapes(op, v.shape, this.batchShape);
    const table = expand(this.logits, [...shape, this.numEvents]);
    return squeeze(gather(table, -1, unsqueeze(expand(v, shape), -1)), -1);
  }

  /** -sum p log p over the categories (zero-probability categories add nothing). */
  entropy(): Tensor {
    return neg(sum(mul(clamp(this.logits, FLOAT32_LOWEST), this.probs), -1));
  }
}
