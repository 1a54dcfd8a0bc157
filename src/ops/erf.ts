// erf: the error function; d/dx erf(x) = 2/√π e^(-x²).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { exp } from "./exp.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export const erfRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))],
};

export function erf(x: TensorLike): Tensor {
  return unary("erf", x, erfRule, "float");
}
