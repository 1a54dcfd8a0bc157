// sqrt: square root.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { div } from "./div.js";
import { mul } from "./mul.js";

export const sqrtRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output }) => [div(g, mul(output, 2))],
};

export function sqrt(x: TensorLike): Tensor {
  return unary("sqrt", x, sqrtRule, "float");
}
