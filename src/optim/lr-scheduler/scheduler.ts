// The base of the epoch-style schedulers (torch.optim.lr_scheduler.LRScheduler): each step()
// advances lastEpoch and writes the new learning rate into every param group's `lr`. The
// constructor records `initialLr` in the groups and takes the first step (epoch 0), as
// PyTorch does; subclasses call initialStep() once their own fields are set.
import { fail } from "../../tensor/errors.js";
import type { Optimizer } from "../optimizer.js";
import type { ParamGroup } from "../param-groups.js";

export type AnyOptimizer = Optimizer<any, any>;

/**
 * The base of the epoch-based schedulers, as PyTorch's `LRScheduler`: each `step()` sets every
 * param group's lr from its base lr and the step count.
 *
 * @example
 * ```ts
 * const opt = new dl.optim.SGD(model.parameters(), { lr: 0.1 });
 * const sched = new dl.optim.lrScheduler.StepLR(opt, { stepSize: 10, gamma: 0.5 });
 * for (let epoch = 0; epoch < 30; epoch++) {
 *   // ... train one epoch with opt ...
 *   sched.step();
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose param groups' lr is set. */
  readonly optimizer: AnyOptimizer;
  /** The index of the last step taken (−1 before the first). */
  lastEpoch: number;
  /** Each param group's initial lr. */
  readonly baseLrs: number[];
  protected stepCount = 0;
  private lastLr: number[] = [];

  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    const name = new.target.name;
    if (!optimizer || !Array.isArray(optimizer.paramGroups))
      fail(name, "expects an optimizer (dl.optim.SGD, Adam, ...) as its first argument");
    this.optimizer = optimizer;
    for (const [i, g] of optimizer.paramGroups.entries()) {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (typeof g.initialLr !== "number")
        fail(name, `param group ${i} has no initialLr, needed when resuming with lastEpoch`);
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  protected get groups(): ParamGroup<any>[] {
    return this.optimizer.paramGroups;
  }

  /** The learning rates for the current lastEpoch (PyTorch's chainable forms). */
  protected abstract getLr(): number[];

  protected initialStep(): void {
    this.step();
  }

  /** Advances one step (epoch) and sets every group's lr. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.groups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = [...lrs];
  }

  /** The learning rates the last step set, one per param group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Everything but the optimizer and functions, to resume a schedule. */
  stateDict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this))
      if (k !== "optimizer" && !holdsFunction(v)) out[k] = structuredClone(v);
    return out;
  }

  /** Restores what {@link LRScheduler.stateDict} saved. */
  loadStateDict(state: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(state))
      if (k !== "optimizer") (this as unknown as Record<string, unknown>)[k] = structuredClone(v);
  }
}

const holdsFunction = (v: unknown): boolean =>
  typeof v === "function" || (Array.isArray(v) && v.some((x) => typeof x === "function"));

/** Options given either whole or as the one required value (`new StepLR(opt, 30)`). */
export function optionsOf<T extends object, K extends keyof T>(
  arg: T | T[K],
  key: K,
  isShort: (a: unknown) => boolean,
): T {
  return isShort(arg) ? ({ [key]: arg } as T) : (arg as T);
}

export function checkPositiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
    fail(op, `${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return v;
}
