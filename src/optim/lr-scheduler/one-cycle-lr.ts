// OneCycleLR (Smith's 1cycle policy, torch.optim.lr_scheduler.OneCycleLR): stepped once per
// batch, the lr rises from maxLr/divFactor to maxLr over pctStart of the steps, then anneals to
// initialLr/finalDivFactor; momentum (or Adam's β₁) moves the opposite way between
// maxMomentum and baseMomentum. Three-phase mode returns to initialLr before the final anneal.
import { fail } from "../../tensor/errors.js";
import { LRScheduler, checkPositiveInt, type AnyOptimizer } from "./scheduler.js";
import type { ParamGroup } from "../param-groups.js";

/** Options of {@link OneCycleLR} (PyTorch's names and defaults). */
export interface OneCycleLROptions {
  /** The peak lr (one per param group, or one for all). */
  maxLr: number | number[];
  /** The number of steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  /** Epochs, with stepsPerEpoch, when totalSteps is not given. */
  epochs?: number;
  /** Steps per epoch, with epochs, when totalSteps is not given. */
  stepsPerEpoch?: number;
  /** Share of the cycle spent increasing the lr (default 0.3). */
  pctStart?: number;
  /** Annealing shape: "cos" (default) or "linear". */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (or Adam's beta1) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, at the peak lr (default 0.85). */
  baseMomentum?: number | number[];
  /** Highest momentum, at the start and end (default 0.95). */
  maxMomentum?: number | number[];
  /** Initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Use a third phase annihilating the lr (default false). */
  threePhase?: boolean;
  /** Step to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

const perGroup = (op: string, name: string, v: number | number[], n: number): number[] => {
  const list = Array.isArray(v) ? v : new Array<number>(n).fill(v);
  if (list.length !== n)
    fail(op, `expected ${n} values of ${name} (one per group), got ${list.length}`);
  return list;
};

function totalStepsOf(o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined) return checkPositiveInt("OneCycleLR", "totalSteps", o.totalSteps);
  if (o.epochs === undefined || o.stepsPerEpoch === undefined)
    fail("OneCycleLR", "you must define either totalSteps or both epochs and stepsPerEpoch");
  return (
    checkPositiveInt("OneCycleLR", "epochs", o.epochs) *
    checkPositiveInt("OneCycleLR", "stepsPerEpoch", o.stepsPerEpoch)
  );
}

function phasesOf(total: number, pct: number, threePhase: boolean): Phase[] {
  const ph = (endStep: number, lr: [string, string], m: [string, string]): Phase => ({
    endStep,
    startLr: lr[0],
    endLr: lr[1],
    startMomentum: m[0],
    endMomentum: m[1],
  });
  if (threePhase)
    return [
      ph(pct * total - 1, ["initialLr", "maxLr"], ["maxMomentum", "baseMomentum"]),
      ph(2 * pct * total - 2, ["maxLr", "initialLr"], ["baseMomentum", "maxMomentum"]),
      ph(total - 1, ["initialLr", "minLr"], ["maxMomentum", "maxMomentum"]),
    ];
  return [
    ph(pct * total - 1, ["initialLr", "maxLr"], ["maxMomentum", "baseMomentum"]),
    ph(total - 1, ["maxLr", "minLr"], ["baseMomentum", "maxMomentum"]),
  ];
}

/**
 * The 1cycle policy, as PyTorch's `OneCycleLR`: the lr rises to maxLr then anneals far below the
 * start, momentum moving the other way; step it once per batch.
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  readonly totalSteps: number;
  /** Annealing shape. */
  readonly annealStrategy: "cos" | "linear";
  /** Whether momentum is cycled. */
  readonly cycleMomentum: boolean;
  private readonly useBeta1: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: AnyOptimizer, opts: OneCycleLROptions) {
    const op = "OneCycleLR";
    const total = totalStepsOf(opts);
    const pct = opts.pctStart ?? 0.3;
    if (!(pct >= 0 && pct <= 1)) fail(op, `pctStart must lie in [0, 1], got ${pct}`);
    const strategy = opts.annealStrategy ?? "cos";
    if (strategy !== "cos" && strategy !== "linear")
      fail(op, `annealStrategy must be "cos" or "linear", got ${JSON.stringify(strategy)}`);
    const groups = optimizer.paramGroups;
    const n = groups.length;
    const cycle = opts.cycleMomentum ?? true;
    const useBeta1 = "betas" in optimizer.defaults;
    if (cycle && !useBeta1 && !("momentum" in optimizer.defaults))
      fail(op, "optimizer must support momentum or beta1 with the cycleMomentum option enabled");
    if ((opts.lastEpoch ?? -1) === -1) {
      const maxLrs = perGroup(op, "maxLr", opts.maxLr, n);
      groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / (opts.divFactor ?? 25);
        g.maxLr = maxLrs[i];
        g.minLr = (g.initialLr as number) / (opts.finalDivFactor ?? 1e4);
      });
      if (cycle) {
        const maxM = perGroup(op, "maxMomentum", opts.maxMomentum ?? 0.95, n);
        const baseM = perGroup(op, "baseMomentum", opts.baseMomentum ?? 0.85, n);
        groups.forEach((g, i) => {
          setMomentum(g, useBeta1, maxM[i]);
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, opts.lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = strategy;
    this.cycleMomentum = cycle;
    this.useBeta1 = useBeta1;
    this.phases = phasesOf(total, pct, opts.threePhase ?? false);
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps)
      fail(
        "OneCycleLR",
        `tried to step ${stepNum} times; the specified number of total steps is ${this.totalSteps}`,
      );
    return this.groups.map((g) => {
      let start = 0;
      for (const [i, ph] of this.phases.entries()) {
        if (stepNum <= ph.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - start) / (ph.endStep - start);
          if (this.cycleMomentum) {
            const m = this.anneal(g[ph.startMomentum] as number, g[ph.endMomentum] as number, pct);
            setMomentum(g, this.useBeta1, m);
          }
          return this.anneal(g[ph.startLr] as number, g[ph.endLr] as number, pct);
        }
        start = ph.endStep;
      }
      return g.lr;
    });
  }
}

function setMomentum(g: ParamGroup<any>, useBeta1: boolean, m: number): void {
  if (useBeta1) g.betas = [m, ...(g.betas as number[]).slice(1)];
  else g.momentum = m;
}
