// unslice: zeros of `shape` with g written into the strided window (start, step per dim).
// The adjoint of slice, so its own gradient is a slice.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { run } from "./dispatch.js";
import { slice } from "./slice.js";

interface UnsliceAttrs {
  shape: number[];
  starts: number[];
  steps: number[];
}

export const unsliceRule: GradRule<UnsliceAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs, inputShapes: [gShape] }) => [
    slice(g, { starts: attrs.starts, sizes: [...gShape], steps: attrs.steps }),
  ],
};

export function unslice(
  g: Tensor,
  shape: readonly number[],
  starts: readonly number[],
  steps: readonly number[],
): Tensor {
  const attrs: UnsliceAttrs = { shape: [...shape], starts: [...starts], steps: [...steps] };
  return run("unslice", unsliceRule, [g], attrs, { shape, dtype: g.dtype });
}
