// logicalAnd: elementwise AND of truth values (non-zero is true).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";

export const logicalAndRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: null,
};

export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  return binary("logicalAnd", a, b, logicalAndRule, "logical");
}
