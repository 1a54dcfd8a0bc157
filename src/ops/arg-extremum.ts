// The shared body of argmax and argmin (as extremum.ts is for max and min): int32 indices of
// the first extreme value over one dim, or over the flattened tensor when dim is omitted, in
// which case keepdim keeps every dim as size 1, as in PyTorch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { asTensor, commonDevice, type TensorLike } from "./dispatch.js";
import { reduce } from "./reduce.js";
import { view } from "./view.js";
import { reshape } from "../functional/shape.js";

export function argExtremum(
  op: "argmax" | "argmin",
  rule: GradRule,
  x: TensorLike,
  dim: number | undefined,
  keepdim: boolean,
): Tensor {
  const t = asTensor(op, x, commonDevice(op, [x]), "float32");
  if (dim !== undefined) return reduce(op, t, dim, keepdim, rule, () => "int32");
  const flat = reduce(op, reshape(t, [-1]), 0, false, rule, () => "int32");
  return keepdim
    ? view(
        flat,
        t.shape.map(() => 1),
      )
    : flat;
}
