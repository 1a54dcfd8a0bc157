// expand: broadcasts size-1 dims (and new leading dims) with stride 0, sharing storage.
// Its gradient needs no rule of its own: the engine sums gradients back to input shapes.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { shapesEqual } from "../tensor/shape.js";
import { viewOf } from "./viewing.js";
import { checkShapeArg } from "../tensor/validate.js";

export const expandRule: GradRule = { savesInputs: false, vjp: (g) => [g] };

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  checkShapeArg("expand", shape, { infer: true, view: true });
  const lead = shape.length - x.ndim;
  if (lead < 0)
    fail(
      "expand",
      `target shape ${fmtShape(shape)} has fewer dims than the input ${fmtShape(x.shape)}`,
    );
  const outShape: number[] = [];
  const strides: number[] = [];
  shape.forEach((d, i) => {
    const j = i - lead;
    const src = j >= 0 ? x.shape[j] : 1;
    const size = d === -1 ? src : d;
    if (j < 0 && d === -1)
      fail("expand", `-1 is not allowed for the new leading dim ${i} in ${fmtShape(shape)}`);
    if (src !== size && src !== 1)
      fail(
        "expand",
        `cannot expand dim ${i} of size ${src} to ${size} (input ${fmtShape(x.shape)}, target ${fmtShape(shape)}); only size-1 dims expand`,
      );
    outShape.push(size);
    strides.push(j >= 0 && src === size ? x.strides[j] : 0);
  });
  if (shapesEqual(outShape, x.shape)) return x;
  return viewOf("expand", expandRule, x, outShape, strides, x.offset, undefined);
}
