// Binary cross-entropy on probabilities and on logits. The logit form uses softplus, which
// is exact where σ(x) rounds to 0 or 1, so it is the one to train with.
import type { Tensor } from "../../../tensor/tensor.js";
import { fail } from "../../../tensor/errors.js";
import { describe } from "../../../ops/dispatch.js";
import { add, sub, mul, maximum } from "../../../ops/arithmetic.js";
import { neg, log } from "../../../ops/unary.js";
import { softplus } from "../../../functional/math.js";
import { checkFloat, checkSameShape, reduceLoss, type ReductionOptions } from "../reduction.js";

/** Options of {@link binaryCrossEntropy}. */
export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Rescales each element's loss; broadcast against the input. */
  weight?: Tensor | null;
}

/** Options of {@link binaryCrossEntropyWithLogits}. */
export interface BinaryCrossEntropyWithLogitsOptions extends BinaryCrossEntropyOptions {
  /** Weight of positive examples, broadcast along the last (class) dim. */
  posWeight?: Tensor | null;
}

/** Probabilities outside [0, 1] give NaN logs; PyTorch refuses them, and so do we (on CPU). */
function checkProbabilities(op: string, input: Tensor): void {
  if (input.device !== "cpu") return;
  const values = input.dataSync();
  for (let i = 0; i < values.length; i++)
    if (!(values[i] >= 0 && values[i] <= 1))
      fail(
        op,
        `every input element must lie in [0, 1], found ${values[i]} in ${describe(input)}; ` +
          `pass logits to binaryCrossEntropyWithLogits instead`,
      );
}

const weighted = (loss: Tensor, weight: Tensor | null | undefined): Tensor =>
  weight ? mul(loss, weight) : loss;

/** −w [y log x + (1 − y) log(1 − x)], each log clamped at −100 as PyTorch does. */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  opts: BinaryCrossEntropyOptions = {},
): Tensor {
  const op = "binaryCrossEntropy";
  checkFloat(op, "input", input);
  checkSameShape(op, input, target);
  checkProbabilities(op, input);
  const logP = maximum(log(input), -100);
  const logQ = maximum(log(sub(1, input)), -100);
  const loss = neg(add(mul(target, logP), mul(sub(1, target), logQ)));
  return reduceLoss(op, weighted(loss, opts.weight), opts.reduction);
}

/** w [(1 − y) softplus(x) + p·y·softplus(−x)] with p = posWeight (1 when absent). */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  opts: BinaryCrossEntropyWithLogitsOptions = {},
): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  checkFloat(op, "input", input);
  checkSameShape(op, input, target);
  const pos = opts.posWeight ? mul(target, opts.posWeight) : target;
  const loss = add(mul(sub(1, target), softplus(input)), mul(pos, softplus(neg(input))));
  return reduceLoss(op, weighted(loss, opts.weight), opts.reduction);
}
