// scatterAdd: a copy of x with src[i][j] added at x[index[i][j]][j] (for dim 0).
import type { GradRule } from "../autograd/node.js";
import { checkIndexValues } from "../tensor/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { normDim, shapesEqual } from "../tensor/shape.js";
import { commonDevice, describe, run } from "./dispatch.js";
import { checkIndexShape, gather } from "./gather.js";
import { unslice } from "./unslice.js";

export const scatterAddRule: GradRule<{ dim: number }> = {
  savesInputs: true,
  vjp: (g, { inputs: [, index], inputShapes: [, , srcShape], attrs, needs }) => [
    g,
    null,
    needs[2] ? srcGrad(gather(g, attrs.dim, index), srcShape) : null,
  ],
};

/** src may be larger than index: the elements index does not reach get a zero gradient. */
function srcGrad(picked: Tensor, srcShape: readonly number[]): Tensor {
  if (shapesEqual(picked.shape, srcShape)) return picked;
  const zeros = srcShape.map(() => 0);
  return unslice(
    picked,
    srcShape,
    zeros,
    srcShape.map(() => 1),
  );
}

export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  commonDevice("scatterAdd", [x, index, src]);
  const d = normDim("scatterAdd", dim, x.ndim);
  if (src.dtype !== x.dtype)
    fail("scatterAdd", `src ${describe(src)} must have the dtype of the input ${describe(x)}`);
  checkIndexShape("scatterAdd", x, d, index, src);
  checkIndexValues("scatterAdd", index, x.shape[d]);
  return run(
    "scatterAdd",
    scatterAddRule,
    [x, index, src],
    { dim: d },
    { shape: x.shape, dtype: x.dtype },
  );
}
