// MultiStepLR: multiplies the learning rate by gamma at each milestone epoch (a milestone
// listed twice decays twice).
import { fail } from "../../tensor/errors.js";
import { LRScheduler, optionsOf, type AnyOptimizer } from "./scheduler.js";

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Steps at which the lr is multiplied by gamma (increasing). */
  milestones: number[];
  /** The factor at each milestone (default 0.1). */
  gamma?: number;
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/** Multiplies the lr by gamma at each milestone, as PyTorch's `MultiStepLR`. */
export class MultiStepLR extends LRScheduler {
  /** The steps at which the lr drops. */
  readonly milestones: number[];
  /** The factor at each milestone. */
  readonly gamma: number;

  constructor(optimizer: AnyOptimizer, opts: MultiStepLROptions | number[]) {
    const o = optionsOf<MultiStepLROptions, "milestones">(opts, "milestones", Array.isArray);
    super(optimizer, o.lastEpoch);
    if (!Array.isArray(o.milestones) || o.milestones.some((m) => !Number.isInteger(m)))
      fail(
        "MultiStepLR",
        `milestones must be a list of integers, got ${JSON.stringify(o.milestones)}`,
      );
    this.milestones = [...o.milestones].sort((a, b) => a - b);
    this.gamma = o.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    return this.groups.map((g) => g.lr * this.gamma ** hits);
  }
}
