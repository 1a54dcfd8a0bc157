// add: a + b with broadcasting.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";

export const addRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: (g) => [g, g],
};

export function add(a: TensorLike, b: TensorLike): Tensor {
  return binary("add", a, b, addRule, "arith");
}
