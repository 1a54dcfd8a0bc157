// Shared pieces of every loss: the reduction modes and the argument checks that give
// misuse a clear error (which loss, which shapes, what was expected).
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { isFloat } from "../../tensor/dtype.js";
import { describe } from "../../ops/dispatch.js";
import { sum } from "../../ops/reductions.js";
import { mean } from "../../functional/math.js";

/** How per-element losses are combined: averaged, summed, or returned as they are. */
export type Reduction = "mean" | "sum" | "none";

/** The reduction option every loss takes. */
export interface ReductionOptions {
  /** "mean" (the default) averages, "sum" adds up, "none" returns the per-element losses. */
  reduction?: Reduction;
}

const REDUCTIONS: readonly string[] = ["mean", "sum", "none"];

export function checkReduction(op: string, reduction: unknown, extra: string[] = []): Reduction {
  const r = reduction ?? "mean";
  if (typeof r !== "string" || ![...REDUCTIONS, ...extra].includes(r))
    fail(
      op,
      `reduction must be one of ${[...REDUCTIONS, ...extra].map((s) => `"${s}"`).join(", ")}, got ${JSON.stringify(r)}`,
    );
  return r as Reduction;
}

/** Applies an unweighted reduction: the mean is over every element. */
export function reduceLoss(op: string, loss: Tensor, reduction: unknown): Tensor {
  const r = checkReduction(op, reduction);
  if (r === "none") return loss;
  return r === "sum" ? sum(loss) : mean(loss);
}

export function checkFloat(op: string, name: string, t: Tensor): void {
  if (!isFloat(t.dtype))
    fail(op, `${name} must be a floating-point tensor, got ${describe(t)} (cast it with .float())`);
}

/** Elementwise losses compare equal shapes: a silent broadcast ([N, 1] vs [N]) is a bug. */
export function checkSameShape(op: string, input: Tensor, target: Tensor, what = "target"): void {
  if (input.shape.join() !== target.shape.join())
    fail(
      op,
      `${what} shape ${fmtShape(target.shape)} must match the input shape ${fmtShape(input.shape)}` +
        ` (reshape one of them; losses do not broadcast)`,
    );
}

/** A per-class weight: a 1-D float tensor with one entry per class. */
export function checkClassWeight(op: string, weight: Tensor, numClasses: number): void {
  if (weight.ndim !== 1 || weight.shape[0] !== numClasses || !isFloat(weight.dtype))
    fail(
      op,
      `weight must be a 1-D float tensor with ${numClasses} entries (one per class), got ${describe(weight)}`,
    );
}

export function checkIntTarget(op: string, target: Tensor): void {
  if (target.dtype !== "int32")
    fail(op, `class-index targets must be an int32 tensor, got ${describe(target)}`);
}
