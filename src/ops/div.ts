// div: true division a / b (integers are promoted to float32).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { mul } from "./mul.js";
import { neg } from "./neg.js";

export const divRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? div(g, b) : null,
    needs[1] ? neg(div(mul(g, a), mul(b, b))) : null,
  ],
};

export function div(a: TensorLike, b: TensorLike): Tensor {
  return binary("div", a, b, divRule, "float");
}
