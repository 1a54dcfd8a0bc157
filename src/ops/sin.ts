// sin: sine.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { cos } from "./cos.js";

export const sinRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, cos(x))],
};

export function sin(x: TensorLike): Tensor {
  return unary("sin", x, sinRule, "float");
}
