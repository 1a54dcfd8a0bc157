// logicalNot: boolean negation (not differentiable).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";

export const logicalNotRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: null,
};

export function logicalNot(x: TensorLike): Tensor {
  return unary("logicalNot", x, logicalNotRule, "bool");
}
