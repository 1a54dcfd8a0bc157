// maximum: elementwise max; NaN propagates; ties split the gradient evenly, as in PyTorch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { tieSplit } from "./tie-split.js";
import { gt } from "./gt.js";

export const maximumRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => tieSplit(g, a, b, needs, gt),
};

export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binary("maximum", a, b, maximumRule, "arith");
}
