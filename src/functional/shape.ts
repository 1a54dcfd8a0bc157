// Shape and indexing composites, built only from the view primitives and copy.
import type { Tensor } from "../tensor/tensor.js";
import { checkShapeArg, checkTensorList, show } from "../tensor/validate.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim } from "../tensor/shape.js";
import { view, inferShape, viewStrides, permute, expand } from "../ops/views.js";
import { slice } from "../ops/slice.js";
import { copy } from "../ops/copy.js";
import { cat } from "../ops/cat.js";
import { parseSliceSpec, resolveRange } from "./slice-spec.js";

/** reshape: a view when the strides allow it, otherwise a contiguous copy first. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const target = inferShape("reshape", x.shape, shape);
  return viewStrides(x.shape, x.strides, target) ? view(x, target) : view(copy(x), target);
}

/**
 * Flattens dims `startDim..endDim` (default all) into one, as `torch.flatten`; a view when
 * possible.
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim("flatten", startDim, x.ndim);
  const e = normDim("flatten", endDim, x.ndim);
  if (s > e)
    fail(
      "flatten",
      `startDim ${startDim} comes after endDim ${endDim} for shape ${fmtShape(x.shape)}`,
    );
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Splits dim `dim` into `sizes` (one may be -1), as `torch.unflatten`. */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normDim("unflatten", dim, x.ndim);
  const inner = inferShape("unflatten", [x.shape[d]], sizes);
  return reshape(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** Removes size-1 dims (all of them, or only `dim`, which is left alone if not size 1). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims =
    dim === undefined
      ? null
      : (typeof dim === "number" ? [dim] : dim).map((d) => normDim("squeeze", d, x.ndim));
  const shape = x.shape.filter((s, i) => s !== 1 || (dims !== null && !dims.includes(i)));
  return shape.length === x.ndim ? x : view(x, shape);
}

/** Inserts a size-1 dim at `dim` (negative counts from the end), as `torch.unsqueeze`; a view. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normDim("unsqueeze", dim, x.ndim + 1);
  return view(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Swaps dims `dim0` and `dim1`; a view, as `torch.transpose`. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const a = normDim("transpose", dim0, x.ndim);
  const b = normDim("transpose", dim1, x.ndim);
  const dims = x.shape.map((_, i) => i);
  [dims[a], dims[b]] = [dims[b], dims[a]];
  return permute(x, dims);
}

/** The 2-D transpose, t.T (0-D and 1-D tensors are returned as they are). */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2)
    fail(
      "T",
      `expects a tensor with at most 2 dims, got ${fmtShape(x.shape)}; use permute or transpose`,
    );
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

function window(x: Tensor, d: number, start: number, size: number, step = 1): Tensor {
  const starts = x.shape.map((_, i) => (i === d ? start : 0));
  const sizes = x.shape.map((s, i) => (i === d ? size : s));
  const steps = x.shape.map((_, i) => (i === d ? step : 1));
  return slice(x, { starts, sizes, steps });
}

/** The slice `start..start+length` of `dim`; a view, as `torch.narrow`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normDim("narrow", dim, x.ndim);
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || s < 0 || length < 0 || s + length > n)
    fail(
      "narrow",
      `start ${start} and length ${length} exceed dim ${d} of size ${n} (shape ${fmtShape(x.shape)})`,
    );
  return window(x, d, s, length);
}

/** Index `index` of `dim`, removing that dim; a view, as `torch.select` (`x[:, i]`). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normDim("select", dim, x.ndim);
  const n = x.shape[d];
  if (!Number.isInteger(index) || index < -n || index >= n)
    fail(
      "select",
      `index ${index} is out of range for dim ${d} of size ${n} (shape ${fmtShape(x.shape)})`,
    );
  const picked = window(x, d, index < 0 ? index + n : index, 1);
  return view(
    picked,
    x.shape.filter((_, i) => i !== d),
  );
}

/** NumPy-style indexing with a string: t.slice("0:10, :, -1"). Returns a view. */
export function sliceSpec(x: Tensor, spec: string): Tensor {
  const items = parseSliceSpec(spec);
  const consumed = items.filter((it) => it.kind === "index" || it.kind === "range").length;
  if (items.filter((it) => it.kind === "ellipsis").length > 1)
    fail("slice", `only one "..." is allowed in "${spec}"`);
  if (consumed > x.ndim)
    fail("slice", `too many indices for a tensor of shape ${fmtShape(x.shape)}: "${spec}"`);
  const expanded = items.flatMap((it) =>
    it.kind === "ellipsis"
      ? Array.from(
          { length: x.ndim - consumed },
          () => ({ kind: "range", start: null, stop: null, step: null }) as const,
        )
      : [it],
  );
  const starts: number[] = [];
  const sizes: number[] = [];
  const steps: number[] = [];
  const outShape: number[] = [];
  let d = 0;
  for (const it of expanded) {
    if (it.kind === "newaxis") {
      outShape.push(1);
      continue;
    }
    const n = x.shape[d];
    if (it.kind === "index") {
      if (it.index < -n || it.index >= n)
        fail(
          "slice",
          `index ${it.index} is out of range for dim ${d} of size ${n} (shape ${fmtShape(x.shape)})`,
        );
      starts.push(it.index < 0 ? it.index + n : it.index);
      sizes.push(1);
      steps.push(1);
    } else if (it.kind === "range") {
      const r = resolveRange(n, it.start, it.stop, it.step);
      starts.push(r.start);
      sizes.push(r.size);
      steps.push(r.step);
      outShape.push(r.size);
    }
    d++;
  }
  for (; d < x.ndim; d++) {
    starts.push(0);
    sizes.push(x.shape[d]);
    steps.push(1);
    outShape.push(x.shape[d]);
  }
  return view(slice(x, { starts, sizes, steps }), outShape);
}

/**
 * Splits `dim` into pieces of `sizeOrSections` elements (the last may be smaller) or into the given
 * sizes, as `torch.split`; views.
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const d = normDim("split", dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSections === "number") {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0)
      fail("split", `split size must be a positive integer, got ${sizeOrSections}`);
    sizes = [];
    for (let s = 0; s < n; s += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - s));
    if (n === 0) sizes = [0];
  } else {
    sizes = [...sizeOrSections];
    if (sizes.reduce((a, b) => a + b, 0) !== n)
      fail("split", `sections ${JSON.stringify(sizes)} do not add up to dim ${d} of size ${n}`);
  }
  let start = 0;
  return sizes.map((size) => {
    const part = window(x, d, start, size);
    start += size;
    return part;
  });
}

/**
 * Splits `dim` into `chunks` pieces of equal size (the last may be smaller), as `torch.chunk`;
 * views.
 */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0)
    fail("chunk", `chunks must be a positive integer, got ${show(chunks)}`);
  const d = normDim("chunk", dim, x.ndim);
  const n = x.shape[d];
  // A zero-size dim gives `chunks` empty pieces, as torch.chunk does.
  if (n === 0) return Array.from({ length: chunks }, () => narrow(x, d, 0, 0));
  return split(x, Math.max(1, Math.ceil(n / chunks)), dim);
}

/** Stacks same-shaped tensors along a new dim `dim`, as `torch.stack`. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  checkTensorList("stack", tensors);
  const first = tensors[0];
  for (const x of tensors)
    if (x.shape.join() !== first.shape.join())
      fail(
        "stack",
        `all tensors must have the same shape, got ${tensors.map((v) => fmtShape(v.shape)).join(", ")}`,
      );
  const d = normDim("stack", dim, first.ndim + 1);
  return cat(
    tensors.map((x) => unsqueeze(x, d)),
    d,
  );
}

/** Tiles the tensor: reps has at least ndim entries (extra ones add leading dims). */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkShapeArg("repeat", reps, { what: "repeats" });
  if (reps.length < x.ndim)
    fail(
      "repeat",
      `number of repeats ${reps.length} is smaller than the number of dims ${x.ndim} (shape ${fmtShape(x.shape)})`,
    );
  const lead = reps.length - x.ndim;
  const shape = [...new Array(lead).fill(1), ...x.shape];
  const interleaved = shape.flatMap((s) => [1, s]);
  const target = shape.flatMap((s, i) => [reps[i], s]);
  return reshape(
    expand(view(x, interleaved), target),
    shape.map((s, i) => s * reps[i]),
  );
}

/** Reverses the order of elements along `dims` (a view with negative strides). */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  const list = (typeof dims === "number" ? [dims] : dims).map((d) => normDim("flip", d, x.ndim));
  const starts = x.shape.map((s, i) => (list.includes(i) && s > 0 ? s - 1 : 0));
  const steps = x.shape.map((_, i) => (list.includes(i) ? -1 : 1));
  return slice(x, { starts, sizes: [...x.shape], steps });
}
