// What the optimizers' multi-tensor updates share: the due parameters split into batches that
// one kernel call can take (one device, and for Adam and Adagrad one step count), each batch's
// operands made contiguous, the kernel run, and its output handed back as each parameter's
// new value and state (views of ops/optim-steps.ts's output).
import type { Tensor } from "../tensor/tensor.js";
import { stepResults } from "../ops/optim-steps.js";
import type { DueUpdate, ParamState, UpdateResult } from "./optimizer.js";

/** The sign and coupled L2 decay of the gradient an update follows (the kernels' terms). */
export function followedGradient(h: { maximize: boolean; weightDecay: number }) {
  return { gradSign: h.maximize ? -1 : 1, weightDecay: h.weightDecay };
}

/** How one optimizer runs its list kernel. */
export interface ListUpdate<S extends ParamState> {
  /** What separates batches besides the device (Adam's and Adagrad's step count). */
  batchKey?: (d: DueUpdate<S>) => string;
  /** One parameter's operands, in the kernel's order. */
  operands: (d: DueUpdate<S>) => Tensor[];
  /** The kernel over one batch's operand groups (batch: its parameters, in that order). */
  run: (groups: Tensor[][], batch: readonly DueUpdate<S>[]) => Tensor;
  /** Values each element's results take in the output (θ' and the state). */
  width: number;
  /** A parameter's result from its views [θ', ...state]. */
  result: (views: Tensor[], d: DueUpdate<S>) => UpdateResult<S>;
}

/** Every due parameter's update, one kernel call per batch, in the order given. */
export function updateInBatches<S extends ParamState>(
  due: readonly DueUpdate<S>[],
  u: ListUpdate<S>,
): UpdateResult<S>[] {
  const results = new Array<UpdateResult<S>>(due.length);
  const key = (d: DueUpdate<S>) => `${d.param.device} ${u.batchKey?.(d) ?? ""}`;
  for (const batch of batchesBy(due, key)) {
    const groups = batch.map(({ item }) => u.operands(item).map((t) => t.contiguous()));
    const out = u.run(
      groups,
      batch.map(({ item }) => item),
    );
    const views = stepResults(
      out,
      groups.map((g) => g[0].shape),
      u.width,
    );
    batch.forEach(({ item, index }, k) => (results[index] = u.result(views[k], item)));
  }
  return results;
}

/** The items grouped by key, each with its index in `items` (first-seen order). */
function batchesBy<T>(items: readonly T[], key: (item: T) => string) {
  const batches = new Map<string, { item: T; index: number }[]>();
  items.forEach((item, index) => {
    const k = key(item);
    const batch = batches.get(k);
    if (batch) batch.push({ item, index });
    else batches.set(k, [{ item, index }]);
  });
  return [...batches.values()];
}
