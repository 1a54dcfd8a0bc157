// pow: a ** b with broadcasting.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { eq } from "./eq.js";
import { log } from "./log.js";
import { mul } from "./mul.js";
import { sub } from "./sub.js";
import { where } from "./where.js";

export const powRule: GradRule = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [a, b], output: y, needs }) => [
    needs[0] ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    // d/db a^b = a^b ln a; PyTorch defines it as 0 where a = 0 (and b >= 0).
    needs[1] ? where(eq(a, 0), 0, mul(g, mul(y, log(a)))) : null,
  ],
};

export function pow(a: TensorLike, b: TensorLike): Tensor {
  return binary("pow", a, b, powRule, "arith");
}
