// slice: a strided window (start, length, step per dim; negative steps walk backwards),
// sharing storage; and its adjoint unslice, which places a window back into zeros (so each
// is the other's gradient).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { viewOf } from "./views.js";

export interface SliceAttrs {
  starts: number[];
  sizes: number[];
  steps: number[];
}

const sliceRule: GradRule<SliceAttrs> = {
  savesInputs: false,
  vjp: (g, { inputShapes: [shape], attrs }) => [unslice(g, shape, attrs.starts, attrs.steps)],
};

/** The window must lie inside the input; callers resolve Python-style bounds first. */
export const slice = definePrimitive(
  { name: "slice", kind: "view", method: false, rule: sliceRule },
  function slice(x: Tensor, attrs: SliceAttrs): Tensor {
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
  },
);

export interface UnsliceAttrs {
  shape: number[];
  starts: number[];
  steps: number[];
}

const unsliceRule: GradRule<UnsliceAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs, inputShapes: [gShape] }) => [
    slice(g, { starts: attrs.starts, sizes: [...gShape], steps: attrs.steps }),
  ],
};

/** Zeros of `shape` with g written into the strided window (start, step per dim). */
export const unslice = definePrimitive(
  { name: "unslice", kind: "compute", method: false, rule: unsliceRule },
  function unslice(
    g: Tensor,
    shape: readonly number[],
    starts: readonly number[],
    steps: readonly number[],
  ): Tensor {
    const attrs: UnsliceAttrs = { shape: [...shape], starts: [...starts], steps: [...steps] };
    return run("unslice", unsliceRule, [g], attrs, { shape, dtype: g.dtype });
  },
);
