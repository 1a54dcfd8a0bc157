// Optimizer state dicts in PyTorch's layout: `state` keyed by parameter index (counted across
// groups in order), `paramGroups` holding each group's hyperparameters and its `params` as
// index lists. Tensors in a saved dict share storage with the optimizer's at that moment;
// since steps replace state storage rather than writing into it, the dict is a snapshot.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { isFloat } from "../tensor/dtype.js";
import { cast } from "../ops/copy.js";
import type { ParamGroup } from "./param-groups.js";

export type SavedParamState = Record<string, Tensor | number>;

export interface SavedParamGroup {
  params: number[];
  [hyper: string]: unknown;
}

export interface OptimizerStateDict {
  state: Record<number, SavedParamState>;
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
function adoptTensor(op: string, key: string, t: Tensor, param: Tensor): Tensor {
  if (t.isDisposed) fail(op, `state tensor "${key}" was disposed before loading`);
  const moved = t.device === param.device ? t.detach() : t.to(param.device);
  return isFloat(moved.dtype) && moved.dtype !== param.dtype ? cast(moved, param.dtype) : moved;
}

/**
 * Checks `dict` against the optimizer's groups, copies its hyperparameters into them (the
 * groups keep their own tensors), and returns the state per parameter.
 */
export function loadOptimizerState(
  op: string,
  groups: ParamGroup<any>[],
  dict: OptimizerStateDict,
): Map<Tensor, SavedParamState> {
  if (!dict || !Array.isArray(dict.paramGroups) || typeof dict.state !== "object")
    fail(op, "a state dict must have `state` and `paramGroups` (from optimizer.stateDict())");
  if (dict.paramGroups.length !== groups.length)
    fail(
      op,
      `loaded state dict has ${dict.paramGroups.length} parameter groups, the optimizer has ${groups.length}`,
    );
  const byIndex = new Map<number, Tensor>();
  dict.paramGroups.forEach((saved, i) => {
    if (saved.params.length !== groups[i].params.length)
      fail(
        op,
        `loaded state dict has a group (${i}) of ${saved.params.length} parameters where the ` +
          `optimizer's has ${groups[i].params.length}`,
      );
    saved.params.forEach((idx, j) => byIndex.set(idx, groups[i].params[j]));
  });
  const loaded = new Map<Tensor, SavedParamState>();
  for (const [key, entry] of Object.entries(dict.state)) {
    const param = byIndex.get(Number(key));
    if (!param) fail(op, `state for parameter index ${key} matches no parameter of the groups`);
    const s: SavedParamState = {};
    for (const [k, v] of Object.entries(entry)) {
      if (v instanceof Tensor && v.shape.length && v.shape.join() !== param.shape.join())
        fail(
          op,
          `state "${k}" of parameter ${key} has shape ${fmtShape(v.shape)}, the parameter ${fmtShape(param.shape)}`,
        );
      s[k] = v instanceof Tensor ? adoptTensor(op, k, v, param) : v;
    }
    loaded.set(param, s);
  }
  dict.paramGroups.forEach((saved, i) => {
    for (const [k, v] of Object.entries(saved)) if (k !== "params") groups[i][k] = copyValue(v);
  });
  return loaded;
}
