// cos: cosine.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";
import { sin } from "./sin.js";

export const cosRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [neg(mul(g, sin(x)))],
};

export function cos(x: TensorLike): Tensor {
  return unary("cos", x, cosRule, "float");
}
