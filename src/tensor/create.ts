// Creation functions: dl.tensor, zeros, ones, full, arange, linspace, eye (random draws: create-random.ts).
import type { Backend, BackendBuffer, Device } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { getDefaultDevice } from "../backend/devices.js";
import { Storage } from "../memory/storage.js";
import { Tensor } from "./tensor.js";
import { type DType, type TypedArray, allocArray, assertDType, dtypeOfArray } from "./dtype.js";
import { fail, fmtShape } from "./errors.js";
import { checkShape, contiguousStrides, sizeOf } from "./shape.js";
import {
  allocating,
  checkFinite,
  checkSize,
  checkValueFits,
  checkValuesFit,
  show,
} from "./validate.js";

/** Nesting beyond this is a mistake (or a cycle): no tensor has that many dims. */
const MAX_NESTING = 64;

/** A host array of `dtype` for `shape`, failing with the op's name when it cannot be had. */
export const hostArray = (op: string, dtype: DType, shape: readonly number[]): TypedArray =>
  allocating(op, shape, dtype, () => allocArray(dtype, sizeOf(shape)));

/**
 * Creation options shared by the factories: dtype (default float32 for floats, inferred from data
 * by `tensor`), device (default: {@link useDevice}'s) and requiresGrad.
 */
export interface TensorOptions {
  /** Element type (default float32, or inferred from the data). */
  dtype?: DType;
  /** Device (default: the current one, see {@link useDevice}). */
  device?: Device;
  /** Record operations on it for autograd (floating-point only; default false). */
  requiresGrad?: boolean;
}

/** A new contiguous tensor owning `buffer`. */
export function wrapBuffer(buffer: BackendBuffer, backend: Backend, shape: readonly number[]) {
  return new Tensor(new Storage(buffer, backend), shape, contiguousStrides(shape), 0);
}

/** Uploads host data as a new contiguous tensor. */
export function fromArray(
  data: TypedArray,
  shape: readonly number[],
  device: Device = getDefaultDevice(),
): Tensor {
  const backend = getBackend(device);
  const buffer = backend.alloc(dtypeOfArray(data), data.length);
  if (data.length) backend.write(buffer, data);
  return wrapBuffer(buffer, backend, shape);
}

/** Applies the options every creation function shares after the values are in place. */
export function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

export function scalarTensor(value: number, dtype: DType, device: Device): Tensor {
  const a = allocArray(dtype, 1);
  a[0] = value;
  return fromArray(a, [], device);
}

type Nested = number | boolean | readonly Nested[];

/**
 * The dtype a user's typed array maps to: floats to float32, integers to int32. A Uint8Array
 * is taken as integers (image bytes), not as bool; pass { dtype: "bool" } for masks.
 */
function dtypeOfUserArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array || a instanceof Float64Array) return "float32";
  if (a instanceof BigInt64Array || a instanceof BigUint64Array || a instanceof DataView)
    fail("tensor", `${a.constructor.name} is not supported; convert to Float32Array or Int32Array`);
  return "int32";
}

function inferShape(op: string, data: Nested): number[] {
  const shape: number[] = [];
  let cur: Nested = data;
  while (Array.isArray(cur)) {
    if (shape.length >= MAX_NESTING)
      fail(op, `nested arrays deeper than ${MAX_NESTING} levels (or a cyclic array)`);
    shape.push(cur.length);
    cur = cur[0];
  }
  return shape;
}

function flatten(
  op: string,
  data: Nested,
  shape: number[],
  out: number[],
  depth = 0,
  kinds = new Set<string>(),
): Set<string> {
  if (depth === shape.length) {
    if (Array.isArray(data) || (typeof data !== "number" && typeof data !== "boolean"))
      fail(
        op,
        `ragged or non-numeric nested array: expected a number or boolean at depth ${depth}, ` +
          `got ${show(data)}`,
      );
    kinds.add(typeof data === "boolean" ? "bool" : Number.isInteger(data) ? "int" : "float");
    out.push(Number(data));
    return kinds;
  }
  if (!Array.isArray(data) || data.length !== shape[depth])
    fail(
      op,
      `ragged nested array: expected ${shape[depth]} elements at depth ${depth} (shape ${fmtShape(shape)})`,
    );
  for (const d of data as readonly Nested[]) flatten(op, d, shape, out, depth + 1, kinds);
  return kinds;
}

/**
 * dl.tensor(data, opts): from a number, nested arrays, or a typed array with opts.shape.
 * Integers give int32 and booleans bool unless opts.dtype says otherwise (as torch.tensor).
 *
 * @example
 * ```ts
 * const x = dl.tensor([[1, 2], [3, 4]], { dtype: "float32" }); // [2, 2] float32
 * const i = dl.tensor([0, 2, 1]); // int32
 * const m = dl.tensor([true, false]); // bool
 * ```
 */
export function tensor(
  data: Nested | TypedArray,
  opts: TensorOptions & { shape?: number[] } = {},
): Tensor {
  const device = opts.device ?? getDefaultDevice();
  if (ArrayBuffer.isView(data)) {
    const src = data as unknown as ArrayLike<number> & ArrayBufferView;
    const shape = opts.shape ? checkShape("tensor", opts.shape) : [src.length];
    if (sizeOf(shape) !== src.length)
      fail(
        "tensor",
        `shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, the array has ${src.length}`,
      );
    const dtype = opts.dtype ? assertDType(opts.dtype, "tensor") : dtypeOfUserArray(src);
    if (dtype === "int32" && !(src instanceof Int32Array)) checkValuesFit("tensor", src, dtype);
    const arr = hostArray("tensor", dtype, shape);
    for (let i = 0; i < src.length; i++)
      arr[i] = dtype === "bool" ? (src[i] !== 0 ? 1 : 0) : src[i];
    return finish(fromArray(arr, shape, device), opts);
  }
  if (typeof data !== "number" && typeof data !== "boolean" && !Array.isArray(data))
    fail(
      "tensor",
      `expected a number, a boolean, nested arrays or a typed array, got ${show(data)}`,
    );
  const shape = inferShape("tensor", data as Nested);
  const flat: number[] = [];
  const kinds = flatten("tensor", data as Nested, shape, flat);
  const inferred: DType = kinds.has("float")
    ? "float32"
    : kinds.has("int")
      ? "int32"
      : kinds.size
        ? "bool"
        : "float32";
  const dtype = opts.dtype ? assertDType(opts.dtype, "tensor") : inferred;
  checkValuesFit("tensor", flat, dtype);
  const arr = hostArray("tensor", dtype, [flat.length]);
  for (let i = 0; i < flat.length; i++)
    arr[i] = dtype === "bool" ? (flat[i] !== 0 ? 1 : 0) : flat[i];
  const t = fromArray(arr, opts.shape ? checkShape("tensor", opts.shape) : shape, device);
  if (t.size !== flat.length)
    fail("tensor", `shape ${fmtShape(t.shape)} does not fit ${flat.length} values`);
  return finish(t, opts);
}

/** A tensor of the given shape filled with `value` (`torch.full`). */
export function full(
  shape: readonly number[],
  value: number | boolean,
  opts: TensorOptions = {},
): Tensor {
  return filled("full", shape, value, opts);
}

/** full() under the name of the op the user called (zeros, ones, full). */
function filled(
  op: string,
  shape: readonly number[],
  value: number | boolean,
  opts: TensorOptions,
): Tensor {
  const s = checkShape(op, shape);
  if (typeof value !== "number" && typeof value !== "boolean")
    fail(op, `fill value must be a number or a boolean, got ${show(value)}`);
  const dtype = assertDType(opts.dtype ?? (typeof value === "boolean" ? "bool" : "float32"), op);
  checkValueFits(op, Number(value), dtype, "fill value");
  const device = opts.device ?? getDefaultDevice();
  // Every backend hands out zero-filled buffers: zeros need no host array and no upload
  // (and a size past the device's limit is refused by the backend, not by a host allocation).
  if (value === 0 || value === false) {
    const backend = getBackend(device);
    const buffer = allocating(op, s, dtype, () => backend.alloc(dtype, sizeOf(s)));
    return finish(wrapBuffer(buffer, backend, s), opts);
  }
  const arr = hostArray(op, dtype, s);
  // NaN is a fill value like any other (a truthiness test once filled 0 for it).
  arr.fill(dtype === "bool" ? Number(value !== 0) : Number(value));
  return finish(fromArray(arr, s, device), opts);
}

/**
 * Zeros of the given shape, float32 unless `dtype` says otherwise (`torch.zeros`).
 *
 * @example
 * ```ts
 * const b = dl.zeros([10], { requiresGrad: true });
 * ```
 */
export const zeros = (shape: readonly number[], opts: TensorOptions = {}): Tensor =>
  filled("zeros", shape, 0, opts);
/** Ones of the given shape, float32 unless `dtype` says otherwise (`torch.ones`). */
export const ones = (shape: readonly number[], opts: TensorOptions = {}): Tensor =>
  filled("ones", shape, 1, opts);

/** Zeros with `t`'s shape, dtype and device (options override). */
export function zerosLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, device: t.device, ...opts });
}

/** Ones with `t`'s shape, dtype and device (options override). */
export function onesLike(t: Tensor, opts: TensorOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, device: t.device, ...opts });
}

/** `value` with `t`'s shape, dtype and device (options override). */
export function fullLike(t: Tensor, value: number, opts: TensorOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, device: t.device, ...opts });
}

/**
 * dl.arange(end) or dl.arange(start, end, step = 1); int32 when all arguments are integers.
 * Options may follow any of the numbers: arange(5, { dtype: "float32" }).
 */
export function arange(end: number, opts?: TensorOptions): Tensor;
export function arange(start: number, end: number, opts?: TensorOptions): Tensor;
export function arange(
  start: number,
  end: number | undefined,
  step: number,
  opts?: TensorOptions,
): Tensor;
export function arange(
  start: number,
  endOrOpts?: number | TensorOptions,
  stepOrOpts: number | TensorOptions = 1,
  opts: TensorOptions = {},
): Tensor {
  if (typeof endOrOpts === "object") [endOrOpts, opts] = [undefined, endOrOpts];
  if (typeof stepOrOpts === "object") [stepOrOpts, opts] = [1, stepOrOpts];
  let end = endOrOpts;
  const step = stepOrOpts;
  if (end === undefined) [start, end] = [0, start];
  checkFinite("arange", start, "start");
  checkFinite("arange", end, "end");
  checkFinite("arange", step, "step");
  if (step === 0) fail("arange", "step must be non-zero");
  const n = Math.max(0, Math.ceil((end - start) / step));
  const allInt = [start, end, step].every(Number.isInteger);
  const dtype = assertDType(opts.dtype ?? (allInt ? "int32" : "float32"), "arange");
  if (n > 0) {
    checkValueFits("arange", start, dtype, "start");
    checkValueFits("arange", start + (n - 1) * step, dtype, "last value");
  }
  const arr = hostArray("arange", dtype, [n]);
  for (let i = 0; i < n; i++) arr[i] = start + i * step;
  return finish(fromArray(arr, [n], opts.device ?? getDefaultDevice()), opts);
}

/** `steps` evenly spaced values from `start` to `end` inclusive, float32 (`torch.linspace`). */
export function linspace(
  start: number,
  end: number,
  steps: number,
  opts: TensorOptions = {},
): Tensor {
  checkFinite("linspace", start, "start");
  checkFinite("linspace", end, "end");
  checkSize("linspace", steps, "steps");
  const dtype = assertDType(opts.dtype ?? "float32", "linspace");
  const arr = hostArray("linspace", dtype, [steps]);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Integer dtypes truncate toward zero, as torch.linspace(..., dtype=torch.int32) does.
  for (let i = 0; i < steps; i++) arr[i] = i === steps - 1 && steps > 1 ? end : start + i * delta;
  return finish(fromArray(arr, [steps], opts.device ?? getDefaultDevice()), opts);
}

/** dl.eye(n), dl.eye(n, m), with options last: eye(3, { dtype: "int32" }). */
export function eye(n: number, opts?: TensorOptions): Tensor;
export function eye(n: number, m: number, opts?: TensorOptions): Tensor;
export function eye(
  n: number,
  mOrOpts: number | TensorOptions = n,
  opts: TensorOptions = {},
): Tensor {
  if (typeof mOrOpts === "object") [mOrOpts, opts] = [n, mOrOpts];
  const m = mOrOpts;
  checkSize("eye", n, "n");
  checkSize("eye", m, "m");
  const dtype = assertDType(opts.dtype ?? "float32", "eye");
  const arr = hostArray("eye", dtype, [n, m]);
  for (let i = 0; i < Math.min(n, m); i++) arr[i * m + i] = 1;
  return finish(fromArray(arr, [n, m], opts.device ?? getDefaultDevice()), opts);
}
