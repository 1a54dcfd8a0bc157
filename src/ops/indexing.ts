// gather: out[i][j] = x[index[i][j]][j] (for dim 0), PyTorch's semantics: index has the
// input's number of dims and is no larger than the input outside `dim`.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim } from "../tensor/shape.js";
import { commonDevice, describe, run } from "./dispatch.js";
import { scatterAdd } from "./scatterAdd.js";
import { zerosLike } from "../tensor/create.js";

export const gatherRule: GradRule<{ dim: number }> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, index], attrs }) => [scatterAdd(zerosLike(x), attrs.dim, index, g), null],
};

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

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  commonDevice("gather", [x, index]);
  const d = normDim("gather", dim, x.ndim);
  checkIndexShape("gather", x, d, index);
  return run("gather", gatherRule, [x, index], { dim: d }, { shape: index.shape, dtype: x.dtype });
}
