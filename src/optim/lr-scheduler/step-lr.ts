// StepLR: multiplies the learning rate by gamma every stepSize epochs:
// lr = initialLr · gamma^⌊epoch / stepSize⌋.
import { LRScheduler, checkPositiveInt, optionsOf, type AnyOptimizer } from "./scheduler.js";

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Steps between drops. */
  stepSize: number;
  /** The factor at each drop (default 0.1). */
  gamma?: number;
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Multiplies the lr by gamma every stepSize steps, as PyTorch's `StepLR`. */
export class StepLR extends LRScheduler {
  /** Steps between drops. */
  readonly stepSize: number;
  /** The factor at each drop. */
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, opts: StepLROptions | number) {
    const o = optionsOf<StepLROptions, "stepSize">(opts, "stepSize", (a) => typeof a === "number");
    super(optimizer, o.lastEpoch);
    this.stepSize = checkPositiveInt("StepLR", "stepSize", o.stepSize);
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.groups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }
}
