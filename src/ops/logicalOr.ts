// logicalOr: elementwise OR of truth values (non-zero is true).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";

export const logicalOrRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: null,
};

export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  return binary("logicalOr", a, b, logicalOrRule, "logical");
}
