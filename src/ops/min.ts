// min over dims (all by default). NaN propagates. The gradient is shared evenly among the
// elements equal to the result (PyTorch's amax/amin convention).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Dims, TensorLike } from "./dispatch.js";
import { expandBack, keepdimOf, reduce, type ReduceAttrs } from "./reduce.js";
import { eq } from "./eq.js";
import { div } from "./div.js";
import { mul } from "./mul.js";
import { sum } from "./sum.js";

export const minRule: GradRule<ReduceAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [x], output, attrs }) => {
    const mask = eq(x, keepdimOf(output, x.shape, attrs));
    const count = sum(mask, attrs.dims, true);
    return [div(mul(expandBack(g, x.shape, attrs), mask), count)];
  },
};

export function min(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("min", x, dim, keepdim, minRule, (d) => d);
}
