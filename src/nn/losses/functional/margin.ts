// Margin losses: hinge embedding (±1 labels on distances), multi-class margin (the
// categorical hinge) and cosine embedding (±1 labels on pairs), PyTorch's formulas.
import type { Tensor } from "../../../tensor/tensor.js";
import { fail, fmtShape } from "../../../tensor/errors.js";
import { add, sub, mul, div } from "../../../ops/arithmetic.js";
import { eq, ne } from "../../../ops/comparison.js";
import { sum } from "../../../ops/reductions.js";
import { sqrt, relu } from "../../../ops/unary.js";
import { where } from "../../../ops/where.js";
import { gather } from "../../../ops/indexing.js";
import { arange } from "../../../tensor/create.js";
import { unsqueeze } from "../../../functional/shape.js";
import { indexSelect } from "../../../functional/indexing.js";
import {
  checkClassWeight,
  checkFloat,
  checkIntTarget,
  checkSameShape,
  reduceLoss,
  type ReductionOptions,
} from "../reduction.js";

/** Options of the margin losses. */
export interface MarginOptions extends ReductionOptions {
  /** The margin (PyTorch's default per loss). */
  margin?: number;
}

/** x where y = 1, max(0, margin − x) where y = −1 (default margin 1). */
export function hingeEmbeddingLoss(
  input: Tensor,
  target: Tensor,
  opts: MarginOptions = {},
): Tensor {
  const op = "hingeEmbeddingLoss";
  checkFloat(op, "input", input);
  checkSameShape(op, input, target);
  const margin = opts.margin ?? 1;
  // PyTorch's two masks: a label that is neither 1 nor −1 gets both terms.
  const marginTerm = where(ne(target, 1), relu(sub(margin, input)), 0);
  const selfTerm = where(ne(target, -1), input, 0);
  return reduceLoss(op, add(marginTerm, selfTerm), opts.reduction);
}

/** Options of {@link multiMarginLoss}. */
export interface MultiMarginOptions extends MarginOptions {
  /** 1 (hinge) or 2 (squared hinge). */
  p?: number;
  /** One weight per class, applied by the target class. */
  weight?: Tensor | null;
}

/** Σ_{i≠y} w[y]·max(0, margin − x[y] + x[i])^p / C per sample (default margin 1, p 1). */
export function multiMarginLoss(
  input: Tensor,
  target: Tensor,
  opts: MultiMarginOptions = {},
): Tensor {
  const op = "multiMarginLoss";
  checkFloat(op, "input", input);
  checkIntTarget(op, target);
  const p = opts.p ?? 1;
  if (p !== 1 && p !== 2) fail(op, `p must be 1 or 2, got ${p}`);
  if (input.ndim < 1 || input.ndim > 2 || target.ndim !== input.ndim - 1)
    fail(
      op,
      `expects input [N, C] with target [N], or input [C] with a 0-d target; ` +
        `got input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)}`,
    );
  const x = input.ndim === 1 ? unsqueeze(input, 0) : input;
  const y = input.ndim === 1 ? unsqueeze(target, 0) : target;
  if (y.shape[0] !== x.shape[0])
    fail(op, `target ${fmtShape(target.shape)} does not match the batch of ${fmtShape(x.shape)}`);
  const numClasses = x.shape[1];
  const column = unsqueeze(y, 1);
  const hinge = relu(add(sub(opts.margin ?? 1, gather(x, 1, column)), x));
  let terms = p === 2 ? mul(hinge, hinge) : hinge;
  if (opts.weight) {
    checkClassWeight(op, opts.weight, numClasses);
    terms = mul(terms, unsqueeze(indexSelect(opts.weight, 0, y), 1));
  }
  const isTarget = eq(column, arange(numClasses, undefined, 1, { device: x.device }));
  const perSample = div(sum(where(isTarget, 0, terms), 1), numClasses);
  const out = input.ndim === 1 ? sum(perSample) : perSample;
  return reduceLoss(op, out, opts.reduction);
}

/** 1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1 (margin 0). */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  opts: MarginOptions = {},
): Tensor {
  const op = "cosineEmbeddingLoss";
  checkFloat(op, "input1", input1);
  checkSameShape(op, input1, input2, "input2");
  if (input1.ndim < 1 || input1.ndim > 2 || target.ndim !== input1.ndim - 1)
    fail(
      op,
      `expects inputs [N, D] with target [N], or inputs [D] with a 0-d target; ` +
        `got inputs ${fmtShape(input1.shape)} and target ${fmtShape(target.shape)}`,
    );
  if (input1.ndim === 2 && target.shape[0] !== input1.shape[0])
    fail(
      op,
      `target ${fmtShape(target.shape)} does not match the batch of ${fmtShape(input1.shape)}`,
    );
  const dim = input1.ndim - 1;
  // PyTorch adds 1e-12 to each squared norm so a zero vector gives cos = 0, not NaN.
  const dot = sum(mul(input1, input2), dim);
  const norm1 = add(sum(mul(input1, input1), dim), 1e-12);
  const norm2 = add(sum(mul(input2, input2), dim), 1e-12);
  const cos = div(dot, sqrt(mul(norm1, norm2)));
  const pos = where(eq(target, 1), sub(1, cos), 0);
  const negTerm = where(eq(target, -1), relu(sub(cos, opts.margin ?? 0)), 0);
  return reduceLoss(op, add(pos, negTerm), opts.reduction);
}
