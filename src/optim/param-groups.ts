// Turning the `params` argument of an optimizer (a list of tensors, or a list of groups with
// their own hyperparameters) into checked param groups, as torch.optim does.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { isFloat } from "../tensor/dtype.js";

/** Hyperparameters every optimizer has; schedulers change `lr`. */
export interface BaseHyper {
  /** Learning rate. */
  lr: number;
}

/** A param group: its tensors and its own copy of every hyperparameter. */
export type ParamGroup<H extends BaseHyper = BaseHyper> = H & {
  /** The group's tensors. */
  params: Tensor[];
  [extra: string]: unknown;
};

/** What the constructor accepts for one group: tensors plus any hyperparameter overrides. */
export type ParamGroupInput<H extends BaseHyper = BaseHyper> = Partial<H> & {
  /** The group's tensors. */
  params: Iterable<Tensor>;
  [extra: string]: unknown;
};

/**
 * What optimizers take: the tensors to train (e.g. `model.parameters()`) or param groups with their
 * own hyperparameters.
 */
export type ParamsOrGroups<H extends BaseHyper = BaseHyper> =
  Iterable<Tensor> | Iterable<ParamGroupInput<H>>;

const isGroupInput = (x: unknown): x is ParamGroupInput =>
  typeof x === "object" && x !== null && !(x instanceof Tensor) && "params" in x;

/** Splits the constructor argument into group inputs (one group for a plain tensor list). */
export function groupInputs<H extends BaseHyper>(
  op: string,
  params: ParamsOrGroups<H>,
): ParamGroupInput<H>[] {
  if (params instanceof Tensor || params === null || typeof params !== "object")
    fail(op, `params must be a list of tensors or of param groups ({ params, ...options })`);
  const items = [...(params as Iterable<unknown>)];
  if (items.length === 0) fail(op, "optimizer got an empty parameter list");
  if (items.every(isGroupInput)) return items as ParamGroupInput<H>[];
  if (items.some(isGroupInput))
    fail(op, "params mixes tensors and param groups; pass one list of either");
  return [{ params: items as Tensor[] } as unknown as ParamGroupInput<H>];
}

/** Checks a group's tensors: floating-point leaves, none seen in an earlier group. */
export function checkGroupParams(op: string, params: unknown[], seen: Set<Tensor>): Tensor[] {
  for (const p of params) {
    if (!(p instanceof Tensor))
      fail(op, `optimizer can only optimize Tensors, got ${p === null ? "null" : typeof p}`);
    if (!isFloat(p.dtype))
      fail(op, `can only optimize floating-point tensors, got ${p.dtype} ${fmtShape(p.shape)}`);
    if (!p.isLeaf)
      fail(
        op,
        `can't optimize a non-leaf tensor ${fmtShape(p.shape)} (use .detach() and requiresGrad)`,
      );
    if (seen.has(p))
      fail(
        op,
        `some parameters appear in more than one parameter group (shape ${fmtShape(p.shape)})`,
      );
    seen.add(p);
  }
  return params as Tensor[];
}

/** A hyperparameter check: `ok` false names the option, its value and the rule. */
export function checkHyper(op: string, name: string, value: unknown, ok: boolean, rule: string) {
  if (!ok) fail(op, `invalid ${name}: ${JSON.stringify(value)} (${rule})`);
}

/** checkHyper for options that must be >= 0, checked in the order named. */
export function checkNonNegative<H extends object>(
  op: string,
  h: H,
  names: readonly (keyof H & string)[],
): void {
  for (const name of names) checkHyper(op, name, h[name], (h[name] as number) >= 0, "must be >= 0");
}
