// The gradient rule shared by max and min: the gradient goes to the elements equal to the
// result, shared evenly among ties (PyTorch's amax/amin convention).
import type { GradRule } from "../autograd/node.js";
import { expandBack, keepdimOf, type ReduceAttrs } from "./reduce.js";
import { eq } from "./eq.js";
import { div } from "./div.js";
import { mul } from "./mul.js";
import { sum } from "./sum.js";

export const extremumRule: GradRule<ReduceAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [x], output, attrs }) => {
    const mask = eq(x, keepdimOf(output, x.shape, attrs));
    const count = sum(mask, attrs.dims, true);
    return [div(mul(expandBack(g, x.shape, attrs), mask), count)];
  },
};
