// log: natural logarithm.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { div } from "./div.js";

export const logRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [div(g, x)],
};

export function log(x: TensorLike): Tensor {
  return unary("log", x, logRule, "float");
}
