// The Optimizer base: param groups over defaults, per-parameter state in a Map, and a step
// that runs each subclass's pure update function and writes the results back in place.
// Parameters keep their handles (`_assign`), so models and optimizers stay linked; state
// tensors live outside every tidy() scope, and what a step replaces is disposed at once, so
// a loop written without tidy stays at flat memory.
import { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { keep, tidy } from "../memory/scope.js";
import { stepBoundary } from "../memory/lifetime.js";
import { enableGrad, noGrad } from "../autograd/mode.js";
import { zerosLike } from "../tensor/create.js";
import { copy } from "../ops/copy.js";
import { add, mul } from "../ops/arithmetic.js";
import { neg } from "../ops/unary.js";
import {
  checkGroupParams,
  groupInputs,
  type BaseHyper,
  type ParamGroup,
  type ParamGroupInput,
  type ParamsOrGroups,
} from "./param-groups.js";
import { loadOptimizerState, saveOptimizerState, type OptimizerStateDict } from "./state-dict.js";

/** Per-parameter state: tensors (moments, buffers) and numbers (the step count). */
export type ParamState = Record<string, Tensor | number>;

/** One parameter's update that is due: the parameter, its gradient and its current state. */
export interface DueUpdate<S extends ParamState = ParamState> {
  param: Tensor;
  grad: Tensor;
  state: S;
}

/** What a pure update function returns: the new parameter value and the new state. */
export interface UpdateResult<S extends ParamState = ParamState> {
  /** The updated parameter value. */
  param: Tensor;
  /** The updated state. */
  state: S;
}

/**
 * The gradient an update follows: negated to maximize, plus the L2 term λθ (torch's coupled
 * weight decay, which joins the gradient before any moment is taken).
 */
export function decayedGradient(
  param: Tensor,
  grad: Tensor,
  h: { maximize: boolean; weightDecay: number },
): Tensor {
  const g = h.maximize ? neg(grad) : grad;
  return h.weightDecay !== 0 ? add(g, mul(param, h.weightDecay)) : g;
}

/**
 * The base of the optimizers, as `torch.optim.Optimizer`: param groups with their own
 * hyperparameters, per-parameter state, `step()` after `backward()`, `zeroGrad()`, and state dicts
 * in PyTorch's layout.
 */
export abstract class Optimizer<
  H extends BaseHyper = BaseHyper,
  S extends ParamState = ParamState,
> {
  /** The hyperparameters groups default to. */
  readonly defaults: H;
  /** The param groups: tensors and their hyperparameters (schedulers change `lr` here). */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** State per parameter (moments, step counts), made on its first step. */
  readonly state = new Map<Tensor, S>();

  constructor(params: ParamsOrGroups<H>, defaults: H) {
    this.defaults = defaults;
    for (const g of groupInputs(this.constructor.name, params)) this.addParamGroup(g);
  }

  /** Fresh state for a parameter, made on its first step. */
  protected abstract initState(param: Tensor, group: H): S;

  /** The update maths: pure, returns new tensors and touches nothing it was given. */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: H): UpdateResult<S>;

  /**
   * The multi-tensor update: every due parameter of one group in one kernel call, each one's
   * result in order (pure, as update). Null where the group's settings need the
   * per-parameter update; optimizers without one leave it out.
   */
  protected updateAll?(due: readonly DueUpdate<S>[], group: H): UpdateResult<S>[] | null;

  /**
   * Parameters the last multi-tensor step left as views of the buffer it shared across their
   * group (their state too).
   */
  private readonly sharing = new Set<Tensor>();

  /** Checks one group's hyperparameters (throws a DendriteError naming the bad one). */
  protected abstract validate(group: H): void;

  /** Adds a param group: tensors plus hyperparameter overrides (others from the defaults). */
  addParamGroup(input: ParamGroupInput<H>): void {
    const op = this.constructor.name;
    if (typeof input !== "object" || input === null || !("params" in input))
      fail(op, "a param group must be an object with a `params` list");
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    const params = checkGroupParams(op, [...(input.params as Iterable<Tensor>)], seen);
    const group = { ...cloneHyper(this.defaults), ...cloneHyper(input), params } as ParamGroup<H>;
    this.validate(group);
    this.paramGroups.push(group);
  }

  /** Clears gradients: to null (PyTorch's default set_to_none), or to zeros. */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups)
      for (const p of group.params) {
        if (!p.grad) continue;
        if (setToNone) {
          p.grad.dispose();
          p.grad = null;
        } else p.grad._assign(noGrad(() => zerosLike(p.grad!)));
      }
  }

  /**
   * Updates every parameter that has a gradient. `closure`, when given, re-evaluates the
   * model and returns the loss (computed with gradients enabled), which step returns.
   */
  step(closure?: () => Tensor): Tensor | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    stepBoundary();
    for (const group of this.paramGroups) {
      const due: Tensor[] = [];
      for (const p of group.params)
        if (p.grad) due.push(p);
        else this.unshare(p);
      if (due.length && !this.stepAll(due, group))
        for (const p of due) this.stepParam(p, p.grad!, group);
    }
    return loss;
  }

  /** The group's due parameters through updateAll; false where it declines. */
  private stepAll(params: readonly Tensor[], group: ParamGroup<H>): boolean {
    if (!this.updateAll) return false;
    const due = params.map((p) => ({ param: p, grad: p.grad!, state: this.stateOf(p, group) }));
    // Committed inside the scope: the new parameters' views are disposed as soon as their
    // parameter takes the storage, without ever being handed to the finalizer.
    const stepped = tidy(() =>
      noGrad(() => {
        const results = this.updateAll!(due, group);
        results?.forEach((next, i) => this.commit(due[i].param, due[i].state, next));
        return results !== null;
      }),
    );
    if (stepped) for (const p of params) this.sharing.add(p);
    return stepped;
  }

  private stepParam(p: Tensor, grad: Tensor, group: ParamGroup<H>): void {
    const old = this.stateOf(p, group);
    this.commit(
      p,
      old,
      tidy(() => noGrad(() => this.update(p, grad, old, group))),
    );
  }

  /** The parameter's state, made (and stored) on its first step. */
  private stateOf(p: Tensor, group: ParamGroup<H>): S {
    let s = this.state.get(p);
    if (!s) this.state.set(p, (s = this.adopt(this.initState(p, group))));
    return s;
  }

  /** Gives the parameter its new value and state; what they replaced is disposed. */
  private commit(p: Tensor, old: S, next: UpdateResult<S>): void {
    p._assign(next.param);
    next.param.dispose();
    this.state.set(p, this.adopt(next.state));
    disposeReplaced(old, next.state);
    this.sharing.delete(p);
  }

  /**
   * Copies a parameter that skipped this step out of the buffer the last multi-tensor step
   * shared across its group, with its state: a frozen layer keeps only its own values alive,
   * not the whole group's.
   */
  private unshare(p: Tensor): void {
    if (!this.sharing.delete(p)) return;
    noGrad(() => {
      const own = copy(p);
      p._assign(own);
      own.dispose();
      const old = this.state.get(p);
      if (!old) return;
      const next = { ...old } as ParamState;
      for (const [k, v] of Object.entries(old)) if (v instanceof Tensor) next[k] = keep(copy(v));
      this.state.set(p, next as S);
      disposeReplaced(old, next);
    });
  }

  /** Takes a state's tensors out of every tidy scope: they must outlive the step. */
  private adopt(state: S): S {
    for (const v of Object.values(state)) if (v instanceof Tensor) keep(v);
    return state;
  }

  /** A snapshot: hyperparameters, and state keyed by parameter index across groups. */
  stateDict(): OptimizerStateDict {
    return saveOptimizerState(this.paramGroups, this.state);
  }

  /**
   * Restores hyperparameters and state saved by stateDict() of a like optimizer. Everything
   * is checked (structure, shapes, disposed tensors, hyperparameters) before anything is
   * written: a failed load leaves the optimizer as it was.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const loaded = loadOptimizerState(this.constructor.name, this.paramGroups, dict);
    const groups = this.paramGroups.map((g, i) => ({ ...g, ...loaded.hypers[i] }) as ParamGroup<H>);
    for (const group of groups) this.validate(group);
    groups.forEach((g, i) => Object.assign(this.paramGroups[i], g));
    for (const s of this.state.values()) disposeReplaced(s, {});
    this.state.clear();
    for (const [p, s] of loaded.state) this.state.set(p, this.adopt(s as S));
  }

  /** The optimizer and its param groups' hyperparameters, as PyTorch prints them. */
  toString(): string {
    const groups = this.paramGroups.map((g, i) => {
      const hyper = Object.entries(g)
        .filter(([k]) => k !== "params")
        .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
      return [`Parameter Group ${i}`, ...hyper].join("\n");
    });
    return `${this.constructor.name} (\n${groups.join("\n")}\n)`;
  }
}

/** Copies array-valued hyperparameters (betas) so groups never share them. */
function cloneHyper<T extends object>(h: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h))
    if (k !== "params") out[k] = Array.isArray(v) ? [...v] : v;
  return out as T;
}

/** Disposes the tensors of `old` that `next` no longer holds. */
function disposeReplaced(old: ParamState, next: ParamState): void {
  const kept = new Set(Object.values(next));
  for (const v of Object.values(old)) if (v instanceof Tensor && !kept.has(v)) v.dispose();
}
