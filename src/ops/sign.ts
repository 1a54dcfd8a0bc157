// sign: the sign of x (-1, 0 or 1); its gradient is zero everywhere.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { unary } from "./elementwise.js";
import { mul } from "./mul.js";

export const signRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g) => [mul(g, 0)],
};

export function sign(x: TensorLike): Tensor {
  return unary("sign", x, signRule, "same");
}
