// ExponentialLR: multiplies the learning rate by gamma every epoch: lr = initialLr · gammaᵉ.
import { LRScheduler, optionsOf, type AnyOptimizer } from "./scheduler.js";

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Multiplies the lr every step. */
  gamma: number;
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Multiplies the lr by gamma every step, as PyTorch's `ExponentialLR`. */
export class ExponentialLR extends LRScheduler {
  /** The factor per step. */
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
