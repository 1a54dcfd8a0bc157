// The view primitives: the same storage under new shape, strides and offset (no kernel, no
// copy). view reshapes (one -1 inferred; fails when the strides cannot express it, then
// reshape copies first), permute reorders dims, expand broadcasts size-1 dims with stride 0.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { contiguousStrides, normDim, shapesEqual, sizeOf } from "../tensor/shape.js";
import { record } from "./dispatch.js";
import { copy } from "./copy.js";
import { definePrimitive } from "./primitive.js";
import { checkShapeArg, show } from "../tensor/validate.js";

/** A new handle on x's storage, recorded for autograd: the shared plumbing of every view. */
export function viewOf(
  op: string,
  rule: GradRule,
  x: Tensor,
  shape: readonly number[],
  strides: readonly number[],
  offset: number,
  attrs: unknown,
): Tensor {
  x._assertAlive(op);
  return record(op, rule, [x], x._view(shape, strides, offset), attrs);
}

// The incoming gradient may have any strides (an expanded sum gradient has stride 0), so
// it is made contiguous when its strides cannot express the input's shape.
const viewRule: GradRule = {
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
  const out = checkShapeArg(op, shape, { infer: true });
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

/** The same elements under a new shape, sharing storage. */
export const view = definePrimitive(
  { name: "view", kind: "view", method: true, rule: viewRule },
  function view(x: Tensor, shape: readonly number[]): Tensor {
    const target = inferShape("view", x.shape, shape);
    const strides = viewStrides(x.shape, x.strides, target);
    if (!strides)
      fail(
        "view",
        `cannot view a tensor of shape ${fmtShape(x.shape)} and strides ${fmtShape(x.strides)} as ` +
          `${fmtShape(target)} without copying; use reshape() (or .contiguous() first)`,
      );
    return viewOf("view", viewRule, x, target, strides, x.offset, undefined);
  },
);

const permuteRule: GradRule<{ dims: number[] }> = {
  savesInputs: false,
  vjp: (g, { attrs: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permute(g, inverse)];
  },
};

/** Reorders dims by rewriting strides (no copy). */
export const permute = definePrimitive(
  { name: "permute", kind: "view", method: true, rule: permuteRule },
  function permute(x: Tensor, dims: readonly number[]): Tensor {
    if (!Array.isArray(dims))
      fail("permute", `dims must be an array of integers, got ${show(dims)}`);
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
  },
);

// Its gradient needs no rule of its own: the engine sums gradients back to input shapes.
const expandRule: GradRule = { savesInputs: false, vjp: (g) => [g] };

/** Broadcasts size-1 dims (and new leading dims) with stride 0, sharing storage. */
export const expand = definePrimitive(
  { name: "expand", kind: "view", method: true, rule: expandRule },
  function expand(x: Tensor, shape: readonly number[]): Tensor {
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
  },
);
