// slice: a strided window (start, length, step per dim; negative steps walk backwards),
// sharing storage. Its gradient is unslice, which places the window back into zeros.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { viewOf } from "./viewing.js";
import { unslice } from "./unslice.js";

export interface SliceAttrs {
  starts: number[];
  sizes: number[];
  steps: number[];
}

export const sliceRule: GradRule<SliceAttrs> = {
  savesInputs: false,
  vjp: (g, { inputShapes: [shape], attrs }) => [unslice(g, shape, attrs.starts, attrs.steps)],
};

/** The window must lie inside the input; callers resolve Python-style bounds first. */
export function slice(x: Tensor, attrs: SliceAttrs): Tensor {
  const { starts, sizes, steps } = attrs;
  if (starts.length !== x.ndim || sizes.length !== x.ndim || steps.length !== x.ndim)
    fail("slice", `expected one start/size/step per dim of ${fmtShape(x.shape)}`);
  let offset = x.offset;
  for (let d = 0; d < x.ndim; d++) {
    const last = starts[d] + (sizes[d] - 1) * steps[d];
    const ok =
      steps[d] !== 0 &&
      (sizes[d] === 0 ||
        (starts[d] >= 0 && starts[d] < x.shape[d] && last >= 0 && last < x.shape[d]));
    if (!ok)
      fail(
        "slice",
        `window start ${starts[d]}, size ${sizes[d]}, step ${steps[d]} is outside dim ${d} of size ${x.shape[d]}`,
      );
    if (sizes[d] > 0) offset += starts[d] * x.strides[d];
  }
  const strides = x.strides.map((s, d) => s * steps[d]);
  return viewOf("slice", sliceRule, x, sizes, strides, offset, attrs);
}
