// LambdaLR: lr = initialLr · lrLambda(epoch), one function for all groups or one per group.
import { fail } from "../../tensor/errors.js";
import { LRScheduler, type AnyOptimizer } from "./scheduler.js";

/** The lr multiplier for a step (epoch) number. */
export type LrLambda = (epoch: number) => number;

/** Options of {@link LambdaLR}. */
export interface LambdaLROptions {
  /** One multiplier function for every param group, or one per group. */
  lrLambda: LrLambda | LrLambda[];
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Sets each group's lr to its base lr times `lrLambda(step)`, as PyTorch's `LambdaLR`. */
export class LambdaLR extends LRScheduler {
  /** The multiplier function of each param group. */
  readonly lrLambdas: LrLambda[];

  constructor(optimizer: AnyOptimizer, opts: LambdaLROptions | LrLambda | LrLambda[]) {
    const o: LambdaLROptions =
      typeof opts === "function" || Array.isArray(opts) ? { lrLambda: opts } : opts;
    super(optimizer, o.lastEpoch);
    const n = optimizer.paramGroups.length;
    const fns = Array.isArray(o.lrLambda) ? o.lrLambda : new Array<LrLambda>(n).fill(o.lrLambda);
    if (fns.length !== n || fns.some((f) => typeof f !== "function"))
      fail("LambdaLR", `expected one function or ${n} functions (one per param group) as lrLambda`);
    this.lrLambdas = fns;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i](this.lastEpoch));
  }
}
