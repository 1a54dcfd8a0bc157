// Argument checks at the public boundary, one function per kind of argument (sizes and shapes,
// dims, dtypes and values, index tensors, tensors and callables). Entry points call them once,
// naming the op the user called, so bad input never reaches a kernel as a raw TypeError,
// RangeError or a silently wrapped value.
import type { Tensor } from "./tensor.js";
import { fail, fmtShape } from "./errors.js";
import { type DType, bytesPerElement } from "./dtype.js";

/** Elements one tensor may hold (kernels index with 32-bit integers). */
export const MAX_ELEMENTS = 2 ** 31 - 1;
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

/** A short, safe rendering of any argument for an error message. */
export function show(v: unknown, depth = 0): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "function") return "a function";
  if (v === null || v === undefined || typeof v !== "object") return String(v);
  if (Array.isArray(v))
    return v.length > 8 || depth > 2
      ? `an array of ${v.length}`
      : `[${v.map((x) => show(x, depth + 1)).join(", ")}]`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  if (name === "Tensor" || name === "Parameter" || name === "Buffer") {
    const t = v as Tensor;
    return `a ${t.dtype} tensor of shape ${fmtShape(t.shape)}`;
  }
  return name ? `a ${name}` : "an object";
}

/** A non-negative integer count (a size, a number of features, steps). */
export function checkSize(op: string, value: unknown, what = "size"): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > MAX_ELEMENTS)
    fail(op, `${what} must be a non-negative integer, got ${show(value)}`);
  return value;
}

/** An integer (possibly negative: offsets, diagonals, pads). */
export function checkInt(op: string, value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value))
    fail(op, `${what} must be an integer, got ${show(value)}`);
  return value;
}

/** A finite number (creation bounds, steps). */
export function checkFinite(op: string, value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    fail(op, `${what} must be a finite number, got ${show(value)}`);
  return value;
}

/**
 * A shape: an array of non-negative integers; with `infer`, one entry may be -1 (reshape,
 * view, expand). Checks the element count fits in one tensor too (not for `view`s that
 * allocate nothing).
 */
export function checkShapeArg(
  op: string,
  shape: unknown,
  opts: { infer?: boolean; what?: string; view?: boolean } = {},
): number[] {
  const what = opts.what ?? "shape";
  if (!Array.isArray(shape) && !(shape instanceof Int32Array))
    fail(op, `${what} must be an array of integers, got ${show(shape)}`);
  const dims = Array.from(shape as ArrayLike<unknown>);
  let inferred = 0;
  for (const d of dims) {
    const ok = typeof d === "number" && Number.isInteger(d) && (d >= 0 || (opts.infer && d === -1));
    if (!ok)
      fail(
        op,
        `${what} must hold non-negative integers${opts.infer ? " (and at most one -1)" : ""}, ` +
          `got ${show(dims)}`,
      );
    if (d === -1 && ++inferred > 1) fail(op, `${what} can hold only one -1, got ${show(dims)}`);
  }
  const n = dims.reduce((a: number, d) => a * Math.max(d as number, 1), 1);
  // A broadcast view (expand) allocates nothing; whatever later copies it is checked then.
  if (n > MAX_ELEMENTS && !opts.view)
    fail(
      op,
      `${what} ${show(dims)} holds ${n} elements, more than one tensor can (${MAX_ELEMENTS})`,
    );
  return dims as number[];
}

/** Fails unless `count` elements of `dtype` can be allocated; names the shape and the bytes. */
export function checkAllocation(op: string, shape: readonly number[], dtype: DType): void {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  if (n > MAX_ELEMENTS)
    fail(op, outOfMemory(shape, dtype, "more elements than one tensor can hold"));
}

/** The message for an allocation that failed or cannot be made. */
export function outOfMemory(shape: readonly number[], dtype: DType, why: string): string {
  const n = shape.reduce((a, d) => a * d, 1);
  const bytes = n * bytesPerElement(dtype);
  const gib = bytes / 2 ** 30;
  return (
    `cannot allocate a ${dtype} tensor of shape ${fmtShape(shape)} ` +
    `(${bytes} bytes, ${gib >= 0.1 ? gib.toFixed(1) + " GiB" : bytes + " B"}): ${why}`
  );
}

/** Runs an allocation, turning the engine's RangeError into an error naming op and shape. */
export function allocating<T>(
  op: string,
  shape: readonly number[],
  dtype: DType,
  alloc: () => T,
): T {
  checkAllocation(op, shape, dtype);
  try {
    return alloc();
  } catch (e) {
    rethrowAllocation(op, shape, dtype, e);
  }
}

/** Rethrows what an allocation threw, the engine's RangeError as an error naming op and shape. */
export function rethrowAllocation(
  op: string,
  shape: readonly number[],
  dtype: DType,
  e: unknown,
): never {
  if (e instanceof RangeError) fail(op, outOfMemory(shape, dtype, e.message));
  throw e;
}

/** A dim argument: an integer (range is checked against the tensor by normDim). */
export function checkDimArg(op: string, dim: unknown, what = "dim"): number {
  if (typeof dim !== "number" || !Number.isInteger(dim))
    fail(op, `${what} must be an integer, got ${show(dim)}`);
  return dim;
}

/** A dim or list of dims. */
export function checkDimsArg(op: string, dims: unknown, what = "dim"): number | number[] {
  if (typeof dims === "number") return checkDimArg(op, dims, what);
  if (!Array.isArray(dims))
    fail(op, `${what} must be an integer or an array of integers, got ${show(dims)}`);
  return dims.map((d) => checkDimArg(op, d, what));
}

/** A value stored in `dtype` must be representable: int32 values are integers in range. */
export function checkValueFits(op: string, value: number, dtype: DType, what = "value"): void {
  if (dtype !== "int32") return;
  if (!(value >= INT32_MIN && value <= INT32_MAX))
    fail(
      op,
      `${what} ${value} does not fit in int32 (range ${INT32_MIN}..${INT32_MAX}); ` +
        `use dtype "float32" for larger or non-finite numbers`,
    );
}

/** Every value of a host array must fit `dtype` (int32 creation never wraps). */
export function checkValuesFit(op: string, values: ArrayLike<number>, dtype: DType): void {
  if (dtype !== "int32") return;
  for (let i = 0; i < values.length; i++) checkValueFits(op, values[i], dtype);
}

/** A Tensor argument (not disposed). */
export function checkTensor(op: string, x: unknown, what = "input"): Tensor {
  const isTensor =
    x !== null && typeof x === "object" && typeof (x as Tensor)._assertAlive === "function";
  if (!isTensor) fail(op, `${what} must be a Tensor, got ${show(x)}`);
  (x as Tensor)._assertAlive(op);
  return x as Tensor;
}

/** A non-empty list of Tensors. */
export function checkTensorList(op: string, xs: unknown, what = "tensors"): Tensor[] {
  if (!Array.isArray(xs)) fail(op, `${what} must be an array of Tensors, got ${show(xs)}`);
  if (xs.length === 0) fail(op, `${what} must not be empty`);
  return xs.map((x, i) => checkTensor(op, x, `${what}[${i}]`));
}

/** A numeric tensor: bool has no arithmetic here (int32 promotes to float32 in the op). */
export function checkNumericTensor(op: string, x: Tensor): void {
  if (x.dtype === "bool")
    fail(op, `expected a numeric tensor, got ${x.dtype}${fmtShape(x.shape)} (cast with .float())`);
}

/** A function argument (a closure, a hook, a collate). */
export function checkCallable<F>(op: string, fn: unknown, what = "fn"): F {
  if (typeof fn !== "function") fail(op, `${what} must be a function, got ${show(fn)}`);
  return fn as F;
}

/** An index tensor must be int32. */
export function checkIndexDtype(op: string, index: Tensor, what = "index"): void {
  if (index.dtype !== "int32")
    fail(op, `${what} must be an int32 tensor, got ${index.dtype}${fmtShape(index.shape)}`);
}

/**
 * An index tensor: int32, and on devices that read synchronously (the CPU) every value in
 * [0, size) — negative indices are rejected as PyTorch does for gather/scatter/index_select.
 * GPU kernels record out-of-range indices and the next read rejects (no blocking read here).
 */
export function checkIndexValues(op: string, index: Tensor, size: number, what = "index"): void {
  checkIndexDtype(op, index, what);
  if (!index.backend.readSync || index.size === 0) return;
  const values = index.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= size)
      fail(op, `${what} ${v} is out of bounds for a dim of size ${size} (expected 0..${size - 1})`);
  }
}
