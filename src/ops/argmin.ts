// argmin over one dim (or the flattened tensor when dim is omitted): int32 indices of the first
// extreme value (NaN counts as the extreme, as in PyTorch). Not differentiable.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { asTensor, commonDevice, type TensorLike } from "./dispatch.js";
import { reduce } from "./reduce.js";
import { view } from "./view.js";
import { reshape } from "../functional/shape.js";

export const argminRule: GradRule = { vjp: null };

export function argmin(x: TensorLike, dim?: number, keepdim = false): Tensor {
  const t = asTensor("argmin", x, commonDevice("argmin", [x]), "float32");
  if (dim === undefined) {
    const flat = reduce("argmin", reshape(t, [-1]), 0, false, argminRule, () => "int32");
    return keepdim
      ? view(
          flat,
          t.shape.map(() => 1),
        )
      : flat;
  }
  return reduce("argmin", t, dim, keepdim, argminRule, () => "int32");
}
