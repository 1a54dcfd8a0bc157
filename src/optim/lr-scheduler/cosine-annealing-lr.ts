// CosineAnnealingLR (SGDR without restarts): lr follows
//   etaMin + (initialLr − etaMin)(1 + cos(π·epoch/tMax))/2,
// computed in PyTorch's recursive form so it composes with other changes to lr.
import { LRScheduler, checkPositiveInt, optionsOf, type AnyOptimizer } from "./scheduler.js";

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Steps of the half cosine from the base lr to etaMin. */
  tMax: number;
  /** The lr at the end (default 0). */
  etaMin?: number;
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Anneals the lr along a half cosine from the base lr to etaMin over tMax steps, as PyTorch's
 * `CosineAnnealingLR`.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Steps of the half cosine. */
  readonly tMax: number;
  /** The lr at the end. */
  readonly etaMin: number;

  constructor(optimizer: AnyOptimizer, opts: CosineAnnealingLROptions | number) {
    const o = optionsOf<CosineAnnealingLROptions, "tMax">(
      opts,
      "tMax",
      (a) => typeof a === "number",
    );
    super(optimizer, o.lastEpoch);
    this.tMax = checkPositiveInt("CosineAnnealingLR", "tMax", o.tMax);
    this.etaMin = o.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    return this.groups.map((g, i) => {
      const base = this.baseLrs[i];
      if (e === 0) return g.lr;
      if (this.stepCount === 1 && e > 0)
        return etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2;
      if ((e - 1 - T) % (2 * T) === 0)
        return g.lr + ((base - etaMin) * (1 - Math.cos(Math.PI / T))) / 2;
      return (
        ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) *
          (g.lr - etaMin) +
        etaMin
      );
    });
  }
}
