// abs: absolute value; the gradient at 0 is 0, as in PyTorch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { sign } from "./sign.js";

export const absRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, sign(x))],
};

export function abs(x: TensorLike): Tensor {
  return unary("abs", x, absRule, "same");
}
