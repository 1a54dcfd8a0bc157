// Optimizer state dicts in PyTorch's layout: `state` keyed by parameter index (counted across
// groups in order), `paramGroups` holding each group's hyperparameters and its `params` as
// index lists. Tensors in a saved dict share storage with the optimizer's at that moment;
// since steps replace state storage rather than writing into it, the dict is a snapshot.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { isFloat } from "../tensor/dtype.js";
import { cast } from "../ops/copy.js";
import type { ParamGroup } from "./param-groups.js";

/** One parameter's saved state (tensors and counters). */
export type SavedParamState = Record<string, Tensor | number>;

/** One param group as saved: hyperparameters and the indices of its parameters. */
export interface SavedParamGroup {
  /** Indices of the group's parameters in the optimizer's order. */
  params: number[];
  [hyper: string]: unknown;
}

/** An optimizer's state dict, in PyTorch's layout (state by parameter index, param groups). */
export interface OptimizerStateDict {
  /** State by parameter index. */
  state: Record<number, SavedParamState>;
  /** The param groups. */
  paramGroups: SavedParamGroup[];
}

const copyValue = (v: unknown): unknown => (Array.isArray(v) ? [...v] : v);

export function saveOptimizerState(
  groups: readonly ParamGroup<any>[],
  state: ReadonlyMap<Tensor, SavedParamState>,
): OptimizerStateDict {
  const out: OptimizerStateDict = { state: {}, paramGroups: [] };
  let index = 0;
  for (const group of groups) {
    const saved: SavedParamGroup = { params: [] };
    for (const [k, v] of Object.entries(group)) if (k !== "params") saved[k] = copyValue(v);
    for (const p of group.params) {
      const s = state.get(p);
      if (s) {
        const entry: SavedParamState = {};
        for (const [k, v] of Object.entries(s)) entry[k] = v instanceof Tensor ? v.detach() : v;
        out.state[index] = entry;
      }
      saved.params.push(index++);
    }
    out.paramGroups.push(saved);
  }
  return out;
}

/** A loaded state tensor: on the parameter's device, floats in the parameter's dtype. */
function adoptTensor(t: Tensor, param: Tensor): Tensor {
  const moved = t.device === param.device ? t.detach() : t.to(param.device);
  return isFloat(moved.dtype) && moved.dtype !== param.dtype ? cast(moved, param.dtype) : moved;
}

/** What a checked state dict loads: state per parameter, and each group's hyperparameters. */
export interface LoadedOptimizerState {
  state: Map<Tensor, SavedParamState>;
  hypers: Record<string, unknown>[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Tensor);

/** Maps each saved parameter index to the optimizer's parameter (groups matched in order). */
function indexParams(
  op: string,
  groups: readonly ParamGroup<any>[],
  saved: readonly unknown[],
): Map<number, Tensor> {
  const byIndex = new Map<number, Tensor>();
  saved.forEach((g, i) => {
    if (!isRecord(g) || !Array.isArray(g.params))
      fail(op, `paramGroups[${i}] must be an object with a \`params\` index list`);
    if (g.params.length !== groups[i].params.length)
      fail(
        op,
        `loaded state dict has a group (${i}) of ${g.params.length} parameters where the ` +
          `optimizer's has ${groups[i].params.length}`,
      );
    g.params.forEach((idx: unknown, j: number) => {
      if (!Number.isInteger(idx) || byIndex.has(idx as number))
        fail(
          op,
          `paramGroups[${i}].params[${j}] must be a distinct integer index, got ${String(idx)}`,
        );
      byIndex.set(idx as number, groups[i].params[j]);
    });
  });
  return byIndex;
}

/** Checks one parameter's saved state: numbers, or live tensors of the parameter's shape. */
function checkEntry(op: string, key: string, entry: unknown, param: Tensor): void {
  if (!isRecord(entry)) fail(op, `state for parameter ${key} must be an object`);
  for (const [k, v] of Object.entries(entry)) {
    if (typeof v === "number") continue;
    if (!(v instanceof Tensor))
      fail(op, `state "${k}" of parameter ${key} must be a Tensor or a number, got ${typeof v}`);
    if (v.isDisposed)
      fail(op, `state tensor "${k}" of parameter ${key} was disposed before loading`);
    if (v.shape.length && v.shape.join() !== param.shape.join())
      fail(
        op,
        `state "${k}" of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(param.shape)}`,
      );
  }
}

/**
 * Checks all of `dict` against the optimizer's groups and returns what to load; writes
 * nothing (the optimizer commits only after its own hyperparameter checks pass too).
 */
export function loadOptimizerState(
  op: string,
  groups: readonly ParamGroup<any>[],
  dict: OptimizerStateDict,
): LoadedOptimizerState {
  if (!isRecord(dict) || !Array.isArray(dict.paramGroups) || !isRecord(dict.state))
    fail(op, "a state dict must have `state` and `paramGroups` (from optimizer.stateDict())");
  if (dict.paramGroups.length !== groups.length)
    fail(
      op,
      `loaded state dict has ${dict.paramGroups.length} parameter groups, the optimizer has ${groups.length}`,
    );
  const byIndex = indexParams(op, groups, dict.paramGroups);
  const entries = Object.entries(dict.state);
  for (const [key, entry] of entries) {
    const param = byIndex.get(Number(key));
    if (!param) fail(op, `state for parameter index ${key} matches no parameter of the groups`);
    checkEntry(op, key, entry, param);
  }
  const state = new Map<Tensor, SavedParamState>();
  for (const [key, entry] of entries) {
    const param = byIndex.get(Number(key))!;
    const s: SavedParamState = {};
    for (const [k, v] of Object.entries(entry))
      s[k] = v instanceof Tensor ? adoptTensor(v, param) : v;
    state.set(param, s);
  }
  const hypers = dict.paramGroups.map((saved) => {
    const h: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(saved)) if (k !== "params") h[k] = copyValue(v);
    return h;
  });
  return { state, hypers };
}
