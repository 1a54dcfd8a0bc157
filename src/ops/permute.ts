// permute: reorders dims by rewriting strides (no copy).
import type { GradRule } from "../autograd/node.js";
import { show } from "../tensor/validate.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { normDim } from "../tensor/shape.js";
import { viewOf } from "./viewing.js";

export const permuteRule: GradRule<{ dims: number[] }> = {
  savesInputs: false,
  vjp: (g, { attrs: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permute(g, inverse)];
  },
};

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (!Array.isArray(dims)) fail("permute", `dims must be an array of integers, got ${show(dims)}`);
  const nd = x.ndim;
  const norm = dims.map((d) => normDim("permute", d, nd));
  if (norm.length !== nd || new Set(norm).size !== nd)
    fail(
      "permute",
      `dims ${JSON.stringify(dims)} are not a permutation of the ${nd} dims of the input`,
    );
  return viewOf(
    "permute",
    permuteRule,
    x,
    norm.map((d) => x.shape[d]),
    norm.map((d) => x.strides[d]),
    x.offset,
    { dims: norm },
  );
}
