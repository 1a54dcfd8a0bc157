// view: the same elements under a new shape, sharing storage. Fails when the strides cannot
// express it (then reshape copies first); one -1 is inferred.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { contiguousStrides, sizeOf } from "../tensor/shape.js";
import { viewOf } from "./viewing.js";
import { copy } from "./copy.js";

// The incoming gradient may have any strides (an expanded sum gradient has stride 0), so
// it is made contiguous when its strides cannot express the input's shape.
export const viewRule: GradRule = {
  savesInputs: false,
  vjp: (g, { inputShapes: [shape] }) => [
    view(viewStrides(g.shape, g.strides, shape) ? g : copy(g), shape),
  ],
};

/** Resolves one -1 and checks the element count. */
export function inferShape(
  op: string,
  from: readonly number[],
  shape: readonly number[],
): number[] {
  const total = sizeOf(from);
  const out = [...shape];
  const free = out.indexOf(-1);
  if (out.some((d, i) => !Number.isInteger(d) || d < -1 || (d === -1 && i !== free)))
    fail(
      op,
      `invalid shape ${fmtShape(shape)}: sizes must be non-negative integers with at most one -1`,
    );
  if (free >= 0) {
    const known = sizeOf(out.filter((_, i) => i !== free));
    if (known === 0 || total % known !== 0)
      fail(
        op,
        `shape ${fmtShape(shape)} is invalid for input of size ${total} (shape ${fmtShape(from)})`,
      );
    out[free] = total / known;
  }
  if (sizeOf(out) !== total)
    fail(
      op,
      `shape ${fmtShape(shape)} is invalid for input of size ${total} (shape ${fmtShape(from)})`,
    );
  return out;
}

/**
 * Strides for viewing (shape, strides) as `target`, or null when a copy is needed. Groups of
 * input dims that are contiguous among themselves can be split or merged freely.
 */
export function viewStrides(
  shape: readonly number[],
  strides: readonly number[],
  target: readonly number[],
): number[] | null {
  if (sizeOf(shape) === 0) return contiguousStrides(target);
  // Size-1 dims address nothing: drop them, then walk chunks of mutually contiguous dims.
  const dims = shape.map((_, i) => i).filter((i) => shape[i] !== 1);
  const out = new Array<number>(target.length);
  let ti = target.length - 1;
  let k = dims.length - 1;
  while (k >= 0) {
    const base = strides[dims[k]];
    let chunkSize = shape[dims[k]];
    while (k > 0 && strides[dims[k - 1]] === strides[dims[k]] * shape[dims[k]]) {
      k--;
      chunkSize *= shape[dims[k]];
    }
    k--;
    // Spread this chunk's size over target dims from the inside out.
    let stride = base;
    let covered = 1;
    while (ti >= 0 && (covered < chunkSize || target[ti] === 1)) {
      out[ti] = stride;
      stride *= target[ti];
      covered *= target[ti];
      ti--;
    }
    if (covered !== chunkSize) return null;
  }
  for (; ti >= 0; ti--) out[ti] = 1;
  return out;
}

export function view(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape("view", x.shape, shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (!strides)
    fail(
      "view",
      `cannot view a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x.strides)} as ` +
        `${fmtShape(target)} without copying; use reshape() (or .contiguous() first)`,
    );
  return viewOf("view", viewRule, x, target, strides, x.offset, undefined);
}
