// Shared plumbing of the view primitives: a new handle on the same storage, recorded.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { record } from "./dispatch.js";

export function viewOf(
  op: string,
  rule: GradRule,
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  attrs: unknown,
): Tensor {
  x._assertAlive(op);
  return record(op, rule, [x], x._view(shape, strides, offset), attrs);
}
