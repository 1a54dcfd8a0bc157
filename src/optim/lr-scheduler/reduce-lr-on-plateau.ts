// ReduceLROnPlateau: multiplies the lr by `factor` once a watched metric has not improved for
// more than `patience` steps, then waits `cooldown` steps before counting again (PyTorch's
// rules: relative or absolute thresholds, a floor of minLr, changes below eps ignored).
import { fail } from "../../tensor/errors.js";
import type { AnyOptimizer } from "./scheduler.js";

/** Options of {@link ReduceLROnPlateau} (PyTorch's names and defaults). */
export interface ReduceLROnPlateauOptions {
  /** "min": lower is better (a loss, the default); "max": higher is better (an accuracy). */
  mode?: "min" | "max";
  /** Multiplies the lr on a plateau (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as an improvement (default 1e-4). */
  threshold?: number;
  /** "rel" (default): relative to the best; "abs": absolute. */
  thresholdMode?: "rel" | "abs";
  /** Steps to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  /** The lr floor (one per param group, or one for all; default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the lr when a metric stops improving, as PyTorch's `ReduceLROnPlateau`: call
 * `step(metric)` once per epoch.
 */
export class ReduceLROnPlateau {
  /** The optimizer whose lr is reduced. */
  readonly optimizer: AnyOptimizer;
  /** Whether lower or higher metrics are better. */
  readonly mode: "min" | "max";
  /** The lr multiplier on a plateau. */
  readonly factor: number;
  /** Steps without improvement tolerated. */
  readonly patience: number;
  /** Improvement threshold. */
  readonly threshold: number;
  /** Whether the threshold is relative or absolute. */
  readonly thresholdMode: "rel" | "abs";
  /** Steps to wait after a reduction. */
  readonly cooldown: number;
  /** The lr floor of each param group. */
  readonly minLrs: number[];
  /** Smallest reduction applied. */
  readonly eps: number;
  /** The best metric seen. */
  best: number;
  /** Steps since the last improvement. */
  numBadEpochs = 0;
  /** Steps of cooldown left. */
  cooldownCounter = 0;
  /** Steps taken. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, opts: ReduceLROnPlateauOptions = {}) {
    const op = "ReduceLROnPlateau";
    this.optimizer = optimizer;
    this.factor = opts.factor ?? 0.1;
    if (!(this.factor < 1)) fail(op, `factor should be < 1.0, got ${this.factor}`);
    this.mode = opts.mode ?? "min";
    this.thresholdMode = opts.thresholdMode ?? "rel";
    if (this.mode !== "min" && this.mode !== "max") fail(op, `mode must be "min" or "max"`);
    if (this.thresholdMode !== "rel" && this.thresholdMode !== "abs")
      fail(op, `thresholdMode must be "rel" or "abs"`);
    this.patience = opts.patience ?? 10;
    this.threshold = opts.threshold ?? 1e-4;
    this.cooldown = opts.cooldown ?? 0;
    this.eps = opts.eps ?? 1e-8;
    const n = optimizer.paramGroups.length;
    const minLr = opts.minLr ?? 0;
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array<number>(n).fill(minLr);
    if (this.minLrs.length !== n)
      fail(op, `expected ${n} values of minLr (one per group), got ${this.minLrs.length}`);
    this.best = this.mode === "min" ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private isBetter(a: number): boolean {
    const { best, threshold: t } = this;
    if (this.mode === "min")
      return this.thresholdMode === "rel" ? a < best * (1 - t) : a < best - t;
    return this.thresholdMode === "rel" ? a > best * (1 + t) : a > best + t;
  }

  /** Records the epoch's metric (a number, e.g. the validation loss) and maybe cuts the lr. */
  step(metric: number): void {
    if (typeof metric !== "number")
      fail(
        "ReduceLROnPlateau",
        `step(metric) expects a number, got ${typeof metric} (use await loss.item())`,
      );
    this.lastEpoch++;
    if (this.isBetter(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const next = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - next > this.eps) g.lr = next;
    });
  }

  /** The learning rates now, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's counters and settings (not the optimizer), to resume. */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) if (k !== "optimizer") out[k] = structuredClone(v);
    return out;
  }

  /** Restores what {@link ReduceLROnPlateau.stateDict} saved. */
  loadStateDict(state: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(state))
      if (k !== "optimizer") (this as unknown as Record<string, unknown>)[k] = structuredClone(v);
  }
}
