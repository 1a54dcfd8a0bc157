// cat: joins tensors along an existing dim. The gradient is the matching slab of g per input.
import type { GradRule } from "../autograd/node.js";
import { checkTensorList } from "../tensor/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim } from "../tensor/shape.js";
import { commonDevice, resultDType, run } from "./dispatch.js";
import { cast } from "./copy.js";
import { definePrimitive } from "./primitive.js";
import { slice } from "./slice.js";

const catRule: GradRule<{ dim: number }> = {
  savesInputs: false,
  vjp: (g, { inputShapes, attrs: { dim }, needs }) => {
    let start = 0;
    return inputShapes.map((shape, i) => {
      const starts = shape.map((_, d) => (d === dim ? start : 0));
      start += shape[dim];
      return needs[i] ? slice(g, { starts, sizes: [...shape], steps: shape.map(() => 1) }) : null;
    });
  },
};

/** Joins tensors along an existing dim. */
export const cat = definePrimitive(
  { name: "cat", kind: "compute", method: false, rule: catRule },
  function cat(tensors: readonly Tensor[], dim = 0): Tensor {
    checkTensorList("cat", tensors);
    commonDevice("cat", tensors);
    const first = tensors[0];
    const d = normDim("cat", dim, first.ndim);
    for (const t of tensors)
      if (t.ndim !== first.ndim || t.shape.some((s, i) => i !== d && s !== first.shape[i]))
        fail(
          "cat",
          `sizes must match except in dim ${d}: got ${tensors.map((x) => fmtShape(x.shape)).join(", ")}`,
        );
    const dtype = resultDType(tensors);
    const inputs = tensors.map((t) => (t.dtype === dtype ? t : cast(t, dtype)));
    const shape = [...first.shape];
    shape[d] = tensors.reduce((n, t) => n + t.shape[d], 0);
    return run("cat", catRule, inputs, { dim: d }, { shape, dtype });
  },
);
