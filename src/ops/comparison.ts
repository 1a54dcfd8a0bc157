// eq: a == b elementwise, a bool tensor (not differentiable).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";

export const eqRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: null,
};

export function eq(a: TensorLike, b: TensorLike): Tensor {
  return binary("eq", a, b, eqRule, "compare");
}
