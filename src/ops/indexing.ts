// Indexing primitives with PyTorch's semantics: index has the input's number of dims and is
// no larger than the input outside `dim`. gather reads out[i][j] = x[index[i][j]][j] (for
// dim 0); scatterAdd, its adjoint, adds src[i][j] into a copy of x at x[index[i][j]][j].
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim, shapesEqual } from "../tensor/shape.js";
import { commonDevice, describe, run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { checkIndexDtype } from "../tensor/validate.js";
import { unslice } from "./slice.js";
import { zerosLike } from "../tensor/create.js";

const gatherRule: GradRule<{ dim: number }> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, index], attrs }) => [scatterAdd(zerosLike(x), attrs.dim, index, g), null],
};

/**
 * Fails unless `index` (int32) fits `x` (and `src`) along every dim but `dim`, as gather/scatter
 * require.
 *
 * @internal
 */
export function checkIndexShape(
  op: string,
  x: Tensor,
  dim: number,
  index: Tensor,
  src?: Tensor,
): void {
  if (index.dtype !== "int32") fail(op, `index must be an int32 tensor, got ${describe(index)}`);
  if (index.ndim !== x.ndim)
    fail(
      op,
      `index ${fmtShape(index.shape)} must have as many dims as the input ${fmtShape(x.shape)}`,
    );
  for (let d = 0; d < x.ndim; d++) {
    if (d !== dim && index.shape[d] > x.shape[d])
      fail(
        op,
        `index ${fmtShape(index.shape)} is larger than the input ${fmtShape(x.shape)} in dim ${d}`,
      );
    if (src && index.shape[d] > src.shape[d])
      fail(
        op,
        `index ${fmtShape(index.shape)} is larger than src ${fmtShape(src.shape)} in dim ${d}`,
      );
  }
}

/** out[i][j] = x[index[i][j]][j] (for dim 0). */
export const gather = definePrimitive(
  { name: "gather", kind: "compute", method: true, rule: gatherRule },
  function gather(x: Tensor, dim: number, index: Tensor): Tensor {
    commonDevice("gather", [x, index]);
    const d = normDim("gather", dim, x.ndim);
    checkIndexShape("gather", x, d, index);
    // The values are checked by the kernels as they read them (the CPU's fail naming the op,
    // dim and shape): a separate pass here read every index once more (max pooling gathers
    // and scatters with hundreds of thousands of them per step).
    checkIndexDtype("gather", index);
    return run(
      "gather",
      gatherRule,
      [x, index],
      { dim: d },
      { shape: index.shape, dtype: x.dtype },
    );
  },
);

const scatterAddRule: GradRule<{ dim: number }> = {
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

/** A copy of x with src[i][j] added at x[index[i][j]][j] (for dim 0). */
export const scatterAdd = definePrimitive(
  { name: "scatterAdd", kind: "compute", method: true, rule: scatterAddRule },
  function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
    commonDevice("scatterAdd", [x, index, src]);
    const d = normDim("scatterAdd", dim, x.ndim);
    if (src.dtype !== x.dtype)
      fail("scatterAdd", `src ${describe(src)} must have the dtype of the input ${describe(x)}`);
    checkIndexShape("scatterAdd", x, d, index, src);
    checkIndexDtype("scatterAdd", index); // values: checked by the kernels (see gather)
    return run(
      "scatterAdd",
      scatterAddRule,
      [x, index, src],
      { dim: d },
      { shape: x.shape, dtype: x.dtype },
    );
  },
);
