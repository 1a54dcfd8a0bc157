// Reuse of CPU arrays. A fresh large typed array costs the kernel's page faults and zeroing
// on first touch (as much as the arithmetic for an elementwise op on ~1 MB), and a fresh
// small one costs the garbage collector more than a small op's work (see the small budget),
// so arrays whose tensors are disposed (tidy, dispose, the autograd engine) come back here
// and the next kernel output of the same dtype and length reuses one, still cache-warm.
// Arrays dropped without dispose are simply left to the garbage collector.
import { allocArray, bytesPerElement, type DType, type TypedArray } from "../../tensor/dtype.js";

/** Arrays below this size are "small": pooled within their own budget (see below). */
const SMALL_BYTES = 16 * 1024;
/**
 * Upper bound on idle pooled memory in large arrays; beyond it, freed arrays go to the garbage
 * collector. Large enough for a convolution's columns and their gradient (2 × 75 MB for 64
 * channels of 32×32 images, batch 32, 3×3): a fresh 75 MB array costs ~70 ms of page faults
 * and zeroing, more than the im2col that fills it (measured: 137 ms for im2col into fresh
 * arrays, 9 ms for a memcpy of the same size).
 */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;
/**
 * Budget of idle small arrays, each counted with an allowance for its object. A small typed
 * array is not cheap to make: V8 gives each one a JSTypedArray of its own, and while a
 * tidy() scope holds the tensors of a loop those arrays survive the young generation's
 * collections. Fresh Float32Array(1)s cost ~0.9 µs each in a 20,000-op loop against ~0.1 µs
 * for plain objects (measured), more than the whole op otherwise; the arrays of the tensors
 * a scope disposed serve the next scope's ops instead.
 */
const MAX_SMALL_POOLED_BYTES = 16 * 1024 * 1024;
/** What a small array is counted as beyond its elements: its object and its list slot. */
const SMALL_ARRAY_OVERHEAD = 128;

/** Idle arrays by dtype, then by length (number keys: a string key was an allocation per op). */
const idle: Record<DType, Map<number, TypedArray[]>> = {
  float32: new Map(),
  int32: new Map(),
  bool: new Map(),
};
let pooledBytes = 0;
let pooledSmallBytes = 0;

/** Whether an array of `length` elements of `dtype` is in the small arrays' budget. */
const isSmall = (dtype: DType, length: number) => length * bytesPerElement(dtype) < SMALL_BYTES;

/** The bytes an array is counted as in its budget. */
function pooledSize(dtype: DType, length: number): number {
  const bytes = length * bytesPerElement(dtype);
  return bytes < SMALL_BYTES ? bytes + SMALL_ARRAY_OVERHEAD : bytes;
}

/** An array of `length` elements: a pooled one when available (zero-filled if `zero`). */
export function takeArray(dtype: DType, length: number, zero: boolean): TypedArray {
  const reused = idle[dtype].get(length)?.pop();
  if (!reused) return allocArray(dtype, length);
  const size = pooledSize(dtype, length);
  if (isSmall(dtype, length)) pooledSmallBytes -= size;
  else pooledBytes -= size;
  if (zero) reused.fill(0);
  return reused;
}

/** Gives back an array nothing references any more (its storage's last handle was disposed). */
export function giveArray(dtype: DType, array: TypedArray): void {
  const length = array.length;
  const size = pooledSize(dtype, length);
  if (isSmall(dtype, length)) {
    if (pooledSmallBytes + size > MAX_SMALL_POOLED_BYTES) return;
    pooledSmallBytes += size;
  } else {
    if (pooledBytes + size > MAX_POOLED_BYTES) return;
    pooledBytes += size;
  }
  const byLength = idle[dtype];
  let list = byLength.get(length);
  if (!list) byLength.set(length, (list = []));
  list.push(array);
}

/** Bytes currently idle in the pool's large arrays (for tests and diagnostics). */
export function pooledArrayBytes(): number {
  return pooledBytes;
}
