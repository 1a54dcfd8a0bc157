// mul: a * b with broadcasting.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";

export const mulRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
};

export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binary("mul", a, b, mulRule, "arith");
}
