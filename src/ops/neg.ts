// neg: elementwise negation.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";

export const negRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: (g) => [neg(g)],
};

export function neg(x: TensorLike): Tensor {
  return unary("neg", x, negRule, "same");
}
