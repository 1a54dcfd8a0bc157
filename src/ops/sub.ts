// sub: a - b with broadcasting.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { neg } from "./neg.js";

export const subRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: (g, { needs }) => [g, needs[1] ? neg(g) : null],
};

export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binary("sub", a, b, subRule, "arith");
}
