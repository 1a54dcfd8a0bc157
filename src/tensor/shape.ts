// Shape arithmetic shared by tensors, ops and kernels. Pure functions on number arrays.
import { fail, fmtShape } from "./errors.js";
import { checkDimArg, checkDimsArg, checkShapeArg } from "./validate.js";

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Product of shape[from .. to): the elements spanned by those dims. */
export function spanOf(shape: Shape, from: number, to = shape.length): number {
  let n = 1;
  for (let d = from; d < to; d++) n *= shape[d];
  return n;
}

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

export function isContiguous(shape: Shape, strides: Shape): boolean {
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && strides[i] !== s) return false;
    s *= shape[i];
  }
  return true;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Resolves a possibly negative dim against `ndim`, failing with the op's name when out of range. */
export function normDim(op: string, dim: number, ndim: number): number {
  checkDimArg(op, dim);
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi)
    fail(op, `dim ${dim} is out of range for a tensor of ${ndim} dims (expected ${lo}..${hi})`);
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Normalises an optional dim or dim list to sorted unique non-negative dims (all dims if absent). */
export function normDims(
  op: string,
  dims: number | readonly number[] | undefined,
  ndim: number,
): number[] {
  if (dims === undefined) {
    const all = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) all[i] = i;
    return all;
  }
  const checked = checkDimsArg(op, dims);
  const list = typeof checked === "number" ? [checked] : checked;
  const out = [...new Set(list.map((d) => normDim(op, d, ndim)))].sort((a, b) => a - b);
  if (out.length !== list.length) fail(op, `repeated dim in ${JSON.stringify(list)}`);
  return ndim === 0 ? [] : out;
}

/** NumPy broadcasting of several shapes; fails naming the op and every shape. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const j = nd - s.length + i;
      const d = s[i];
      if (d === out[j] || d === 1) continue;
      if (out[j] === 1) out[j] = d;
      else
        fail(
          op,
          `shapes ${shapes.map(fmtShape).join(" and ")} cannot be broadcast together ` +
            `(dim ${j - nd} has sizes ${out[j]} and ${d})`,
        );
    }
  }
  return out;
}

/** Strides that read `shape` as if broadcast to `target` (0 where a dim is broadcast). */
export function broadcastStrides(shape: Shape, strides: Shape, target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++)
    out[off + i] = shape[i] === 1 && target[off + i] !== 1 ? 0 : strides[i];
  return out;
}

export function checkShape(op: string, shape: unknown): number[] {
  return checkShapeArg(op, shape);
}
