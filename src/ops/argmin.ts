// argmin over one dim (or the flattened tensor when dim is omitted): int32 indices of the first
// extreme value (NaN counts as the extreme, as in PyTorch). Not differentiable.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { argExtremum } from "./arg-extremum.js";

export const argminRule: GradRule = { vjp: null };

export function argmin(x: TensorLike, dim?: number, keepdim = false): Tensor {
  return argExtremum("argmin", argminRule, x, dim, keepdim);
}
