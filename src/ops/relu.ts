// relu: max(x, 0); the gradient at 0 is 0, as in PyTorch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { gt } from "./gt.js";

export const reluRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, gt(y, 0))],
};

export function relu(x: TensorLike): Tensor {
  return unary("relu", x, reluRule, "same");
}
