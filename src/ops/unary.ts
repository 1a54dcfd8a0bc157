// exp: e^x.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";

export const expRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output }) => [mul(g, output)],
};

export function exp(x: TensorLike): Tensor {
  return unary("exp", x, expRule, "float");
}
