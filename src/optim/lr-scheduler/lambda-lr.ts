// LambdaLR: lr = initialLr · lrLambda(epoch), one function for all groups or one per group.
import { fail } from "../../tensor/errors.js";
import { LRScheduler, type AnyOptimizer } from "./scheduler.js";

export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  lrLambda: LrLambda | LrLambda[];
  lastEpoch?: number;
}

export class LambdaLR extends LRScheduler {
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
