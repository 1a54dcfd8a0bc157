// Random creation functions: dl.rand, randn, randint drawn from the seeded host stream (the
// same numbers on every device), and deviceUniform drawn where the tensor lives.
import type { Device } from "../backend/backend.js";
import { getBackend } from "../backend/registry.js";
import { getDefaultDevice } from "../backend/devices.js";
import type { Tensor } from "./tensor.js";
import { allocArray, assertDType } from "./dtype.js";
import { fail } from "./errors.js";
import { checkShape, sizeOf } from "./shape.js";
import {
  type Generator,
  fillInt,
  fillNormal,
  fillUniform,
  nextKey,
  permutation,
} from "./random.js";
import { checkInt, INT32_MAX, INT32_MIN } from "./validate.js";
import { type TensorOptions, finish, fromArray, hostArray, wrapBuffer } from "./create.js";

/** Random floats only come as floats (torch refuses integer dtypes for rand/randn too). */
function floatOnly(op: string, opts: TensorOptions): void {
  if (opts.dtype !== undefined && opts.dtype !== "float32")
    fail(
      op,
      `${op} draws floating-point values; dtype ${opts.dtype} is not supported (use float32)`,
    );
}

/** Creation options of the random draws: a generator of their own replaces the default stream. */
export interface RandomOptions extends TensorOptions {
  /** A stream of its own (see {@link Generator}) instead of the default one. */
  generator?: Generator;
}

/** A float32 tensor filled on the host by `fill` (uniform or normal) from the options' stream. */
function drawFloat(
  op: string,
  shape: readonly number[],
  opts: RandomOptions,
  fill: (arr: Float32Array, a: number, b: number, generator?: Generator) => void,
): Tensor {
  const s = checkShape(op, shape);
  floatOnly(op, opts);
  const arr = hostArray(op, "float32", s) as Float32Array;
  fill(arr, 0, 1, opts.generator);
  return finish(fromArray(arr, s, opts.device ?? getDefaultDevice()), opts);
}

/**
 * Uniform samples in [0, 1) of the given shape, float32 (`torch.rand`); seeded by {@link
 * manualSeed}.
 *
 * @example
 * ```ts
 * dl.manualSeed(0);
 * const u = dl.rand([2, 3]); // [2, 3] in [0, 1)
 * ```
 */
export function rand(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return drawFloat("rand", shape, opts, fillUniform);
}

/**
 * Uniform [0, 1) float32 drawn on the device itself by the counter-based generator, under a
 * key taken from the seeded host stream: for tensors too large to draw element by element on
 * the host (dropout masks). The same numbers on every device for the same seed, though not
 * the numbers rand() would give.
 */
export function deviceUniform(shape: readonly number[], device: Device): Tensor {
  const backend = getBackend(device);
  const buffer = backend.alloc("float32", sizeOf(shape));
  backend.fillUniform(buffer, nextKey());
  return wrapBuffer(buffer, backend, shape);
}

/**
 * Standard normal samples (mean 0, std 1) of the given shape, float32 (`torch.randn`); seeded by
 * {@link manualSeed}.
 *
 * @example
 * ```ts
 * const w = dl.randn([784, 10], { requiresGrad: true });
 * ```
 */
export function randn(shape: readonly number[], opts: RandomOptions = {}): Tensor {
  return drawFloat("randn", shape, opts, fillNormal);
}

/** Uniform integers in [low, high) of the given shape, int32 (`torch.randint`). */
export function randint(
  low: number,
  high: number,
  shape: readonly number[],
  opts: RandomOptions = {},
): Tensor {
  const s = checkShape("randint", shape);
  checkInt("randint", low, "low");
  checkInt("randint", high, "high");
  if (!(high > low)) fail("randint", `expected low < high, got low=${low}, high=${high}`);
  if (low < INT32_MIN || high - 1 > INT32_MAX)
    fail("randint", `[low, high) = [${low}, ${high}) does not fit in int32`);
  const ints = hostArray("randint", "int32", s) as Int32Array;
  fillInt(ints, low, high, opts.generator);
  // torch.randint(..., dtype=torch.float32) draws integers and stores them as floats.
  return intsAs("randint", ints, s, opts);
}

/** Integers drawn as int32, stored in the options' dtype (torch stores them as floats too). */
function intsAs(op: string, ints: Int32Array, shape: number[], opts: RandomOptions): Tensor {
  const dtype = assertDType(opts.dtype ?? "int32", op);
  const arr = dtype === "int32" ? ints : allocArray(dtype, ints.length);
  if (arr !== ints) for (let i = 0; i < ints.length; i++) arr[i] = ints[i];
  return finish(fromArray(arr, shape, opts.device ?? getDefaultDevice()), opts);
}

/**
 * A random permutation of 0..n-1, int32 (`torch.randperm`), drawn by Fisher–Yates from the
 * options' stream.
 *
 * @example
 * ```ts
 * const order = dl.randperm(5, { generator: new dl.Generator(0) }); // e.g. [3, 0, 4, 1, 2]
 * ```
 */
export function randperm(n: number, opts: RandomOptions = {}): Tensor {
  checkInt("randperm", n, "n");
  if (n < 0 || n > INT32_MAX) fail("randperm", `n must be in [0, 2^31 - 1], got ${n}`);
  const s = checkShape("randperm", [n]);
  const ints = hostArray("randperm", "int32", s) as Int32Array;
  ints.set(permutation(n, opts.generator));
  return intsAs("randperm", ints, s, opts);
}
