// sigmoid: logistic function 1 / (1 + e^-x); the gradient y(1 - y) reuses the output.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";

export const sigmoidRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, mul(y, sub(1, y)))],
};

export function sigmoid(x: TensorLike): Tensor {
  return unary("sigmoid", x, sigmoidRule, "float");
}
