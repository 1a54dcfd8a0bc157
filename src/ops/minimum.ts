// minimum: elementwise min; NaN propagates; ties split the gradient evenly, as in PyTorch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { tieSplit } from "./tie-split.js";
import { lt } from "./lt.js";

export const minimumRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => tieSplit(g, a, b, needs, lt),
};

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binary("minimum", a, b, minimumRule, "arith");
}
