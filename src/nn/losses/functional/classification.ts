// Negative log-likelihood and cross-entropy over a class dim (dim 1, or dim 0 for an unbatched
// [C] input), with PyTorch's options: class weights, ignoreIndex, label smoothing, and
// probability targets. With class weights, "mean" divides by the summed weights of the
// counted targets, not by their number (PyTorch's rule).
import type { Tensor } from "../../../tensor/tensor.js";
import { fail, fmtShape } from "../../../tensor/errors.js";
import { describe } from "../../../ops/dispatch.js";
import { add, mul, div } from "../../../ops/arithmetic.js";
import { neg } from "../../../ops/unary.js";
import { ne } from "../../../ops/comparison.js";
import { sum } from "../../../ops/reductions.js";
import { cast } from "../../../ops/copy.js";
import { view } from "../../../ops/views.js";
import { where } from "../../../ops/where.js";
import { gather } from "../../../ops/indexing.js";
import { logSoftmax, mean } from "../../../functional/math.js";
import { flatten, reshape, squeeze, unsqueeze } from "../../../functional/shape.js";
import { indexSelect } from "../../../functional/indexing.js";
import { isFloat } from "../../../tensor/dtype.js";
import { ones } from "../../../tensor/create.js";
import { softmaxCrossEntropy } from "../../../ops/cross-entropy.js";
import {
  checkClassWeight,
  checkFloat,
  checkIntTarget,
  checkReduction,
  type ReductionOptions,
} from "../reduction.js";

/** Options of {@link nllLoss}. */
export interface NLLLossOptions extends ReductionOptions {
  /** One weight per class, applied to each target's term. */
  weight?: Tensor | null;
  /** Targets equal to this value add nothing to the loss or to the mean's denominator. */
  ignoreIndex?: number;
}

/** Options of {@link crossEntropy}. */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C. */
  labelSmoothing?: number;
}

/** Gives an unbatched [C] input a batch dim so everything below sees [N, C, ...]. */
function batched(op: string, input: Tensor, target: Tensor): [Tensor, Tensor, boolean] {
  if (input.ndim === 0) fail(op, `input must have a class dim, got a 0-d tensor`);
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (target.shape.join() !== expected.join())
    fail(
      op,
      `class-index target ${fmtShape(target.shape)} does not fit input ${fmtShape(input.shape)}: ` +
        `expected target shape ${fmtShape(expected)} (the input without its class dim 1)`,
    );
  if (input.ndim > 1) return [input, target, false];
  return [unsqueeze(input, 0), unsqueeze(target, 0), true];
}

/** An out-of-range class gives a confusing gather error; name it here (readable on CPU). */
function checkClassIndices(op: string, target: Tensor, numClasses: number, ignore: number): void {
  if (target.device !== "cpu") return;
  const values = target.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== ignore && (v < 0 || v >= numClasses))
      fail(
        op,
        `target class ${v} is out of range for ${numClasses} classes ` +
          `(targets must lie in [0, ${numClasses - 1}] or equal ignoreIndex ${ignore})`,
      );
  }
}

interface ClassIndexTerms {
  /** −w[y]·x[y] per target, 0 where ignored. */
  loss: Tensor;
  /** w[y] per target (1 without class weights), 0 where ignored. */
  weights: Tensor;
  valid: Tensor;
}

function classIndexTerms(op: string, x: Tensor, t: Tensor, opts: NLLLossOptions): ClassIndexTerms {
  const numClasses = x.shape[1];
  const ignore = opts.ignoreIndex ?? -100;
  if (opts.weight) checkClassWeight(op, opts.weight, numClasses);
  checkClassIndices(op, t, numClasses, ignore);
  const valid = ne(t, ignore);
  const safe = where(valid, t, 0);
  const picked = squeeze(gather(x, 1, unsqueeze(safe, 1)), 1);
  const weights = opts.weight
    ? where(valid, reshape(indexSelect(opts.weight, 0, flatten(safe)), t.shape), 0)
    : cast(valid, x.dtype);
  return { loss: neg(mul(picked, weights)), weights, valid };
}

function reduceWeighted(
  op: string,
  loss: Tensor,
  weights: Tensor,
  reduction: unknown,
  unbatched: boolean,
): Tensor {
  const r = checkReduction(op, reduction);
  if (r === "none") return unbatched ? squeeze(loss, 0) : loss;
  return r === "sum" ? sum(loss) : div(sum(loss), sum(weights));
}

/** −w[y]·input[y] for log-probability inputs. */
export function nllLoss(input: Tensor, target: Tensor, opts: NLLLossOptions = {}): Tensor {
  const op = "nllLoss";
  checkFloat(op, "input", input);
  checkIntTarget(op, target);
  const [x, t, unbatched] = batched(op, input, target);
  const { loss, weights } = classIndexTerms(op, x, t, opts);
  return reduceWeighted(op, loss, weights, opts.reduction, unbatched);
}

/** The class weights shaped to broadcast along the class dim of an [N, C, ...] tensor. */
function classWeightView(weight: Tensor, input: Tensor, classDim: number): Tensor {
  return view(
    weight,
    input.shape.map((s, d) => (d === classDim ? s : 1)),
  );
}

function checkSmoothing(op: string, eps: number): void {
  if (!(eps >= 0 && eps <= 1)) fail(op, `labelSmoothing must lie in [0, 1], got ${eps}`);
}

/**
 * Cross-entropy of [N, C] (or [C]) logits as the fused primitive: log-softmax and NLL in one
 * pass, the gradient in one more. Null where it does not apply (more dims after the class
 * dim, no classes, or class weights that want a gradient): the composed path serves those.
 */
function fusedCrossEntropy(
  input: Tensor,
  target: Tensor,
  opts: CrossEntropyOptions,
): Tensor | null {
  const op = "crossEntropy";
  if (input.ndim > 2 || opts.weight?.requiresGrad) return null;
  const [x, t, unbatched] = batched(op, input, target);
  const numClasses = x.shape[1];
  if (numClasses === 0) return null;
  const ignore = opts.ignoreIndex ?? -100;
  if (opts.weight) checkClassWeight(op, opts.weight, numClasses);
  checkClassIndices(op, t, numClasses, ignore);
  const w = opts.weight ? cast(opts.weight, "float32") : ones([numClasses], { device: x.device });
  const attrs = { ignoreIndex: ignore, smoothing: opts.labelSmoothing ?? 0 };
  const loss = softmaxCrossEntropy(x.contiguous(), t.contiguous(), w.contiguous(), attrs);
  if (checkReduction(op, opts.reduction) !== "mean")
    return reduceWeighted(op, loss, loss, opts.reduction, unbatched);
  const valid = ne(t, ignore);
  const weights = opts.weight
    ? where(valid, indexSelect(w, 0, where(valid, t, 0)), 0)
    : cast(valid, "float32");
  return reduceWeighted(op, loss, weights, opts.reduction, unbatched);
}

function classIndexCrossEntropy(logp: Tensor, target: Tensor, opts: CrossEntropyOptions): Tensor {
  const op = "crossEntropy";
  const eps = opts.labelSmoothing ?? 0;
  const [x, t, unbatched] = batched(op, logp, target);
  const { loss, weights, valid } = classIndexTerms(op, x, t, opts);
  if (eps === 0) return reduceWeighted(op, loss, weights, opts.reduction, unbatched);
  // The smoothing term is Σ_c −w_c·logp_c, and shares the mean's denominator with the NLL term.
  const numClasses = x.shape[1];
  const wx = opts.weight ? mul(x, classWeightView(opts.weight, x, 1)) : x;
  const smooth = where(valid, neg(sum(wx, 1)), 0);
  const total = add(mul(loss, 1 - eps), mul(smooth, eps / numClasses));
  return reduceWeighted(op, total, weights, opts.reduction, unbatched);
}

function probabilityCrossEntropy(logp: Tensor, target: Tensor, opts: CrossEntropyOptions): Tensor {
  const op = "crossEntropy";
  if (target.shape.join() !== logp.shape.join())
    fail(
      op,
      `a float target holds class probabilities and must match the input shape ` +
        `${fmtShape(logp.shape)}, got ${describe(target)} (class indices must be int32)`,
    );
  const classDim = logp.ndim === 1 ? 0 : 1;
  const numClasses = logp.shape[classDim];
  const eps = opts.labelSmoothing ?? 0;
  if (opts.weight) checkClassWeight(op, opts.weight, numClasses);
  const smoothed = eps > 0 ? add(mul(target, 1 - eps), eps / numClasses) : target;
  const wt = opts.weight ? mul(smoothed, classWeightView(opts.weight, logp, classDim)) : smoothed;
  const perSample = neg(sum(mul(logp, wt), classDim));
  const r = checkReduction(op, opts.reduction);
  if (r === "none") return perSample;
  return r === "sum" ? sum(perSample) : mean(perSample);
}

/**
 * Cross-entropy of logits: class-index targets (int32, the input without its class dim) or
 * class probabilities (float, the input's shape).
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  opts: CrossEntropyOptions = {},
): Tensor {
  const op = "crossEntropy";
  checkFloat(op, "input", input);
  checkSmoothing(op, opts.labelSmoothing ?? 0);
  if (input.ndim === 0) fail(op, `input must have a class dim, got a 0-d tensor`);
  if (!isFloat(target.dtype)) {
    checkIntTarget(op, target);
    const fused = fusedCrossEntropy(input, target, opts);
    if (fused) return fused;
  }
  const logp = logSoftmax(input, input.ndim === 1 ? 0 : 1);
  if (isFloat(target.dtype)) return probabilityCrossEntropy(logp, target, opts);
  return classIndexCrossEntropy(logp, target, opts);
}
