// tanh: hyperbolic tangent; the gradient 1 - y² reuses the output.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";

export const tanhRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, sub(1, mul(y, y)))],
};

export function tanh(x: TensorLike): Tensor {
  return unary("tanh", x, tanhRule, "float");
}
