// ExponentialLR: multiplies the learning rate by gamma every epoch: lr = initialLr · gammaᵉ.
import { LRScheduler, optionsOf, type AnyOptimizer } from "./scheduler.js";

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, opts: ExponentialLROptions | number) {
    const o = optionsOf<ExponentialLROptions, "gamma">(opts, "gamma", (a) => typeof a === "number");
    super(optimizer, o.lastEpoch);
    this.gamma = o.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.groups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }
}
