// prod over dims. The gradient is prod/x where x != 0; with one zero in a slice, only that
// element gets a gradient (the product of the others); with two or more, none do.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Dims, TensorLike } from "./dispatch.js";
import { expandBack, reduce, type ReduceAttrs } from "./reduce.js";
import { div } from "./div.js";
import { eq } from "./eq.js";
import { mul } from "./mul.js";
import { sum } from "./sum.js";
import { where } from "./where.js";

export const prodRule: GradRule<ReduceAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x], attrs }) => {
    const isZero = eq(x, 0);
    const zeros = sum(isZero, attrs.dims, true);
    const nonZeroProd = prod(where(isZero, 1, x), attrs.dims, true);
    const ge = expandBack(g, x.shape, attrs);
    const noZero = div(nonZeroProd, where(isZero, 1, x));
    const grad = where(eq(zeros, 0), noZero, where(isZero, where(eq(zeros, 1), nonZeroProd, 0), 0));
    return [mul(ge, grad)];
  },
};

export function prod(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("prod", x, dim, keepdim, prodRule, (d) => (d === "bool" ? "int32" : d));
}
