// Reuse of large CPU arrays. A fresh large typed array costs the kernel's page faults and
// zeroing on first touch (as much as the arithmetic for an elementwise op on ~1 MB), so
// arrays whose tensors are disposed (tidy, dispose, the autograd engine) come back here and
// the next kernel output of the same dtype and length reuses one while it is still
// cache-warm. Arrays dropped without dispose are simply left to the garbage collector.
import { allocArray, type DType, type TypedArray } from "../../tensor/dtype.js";

/** Small arrays are cheap to allocate (V8's young generation): not worth pooling. */
const MIN_BYTES = 16 * 1024;
/**
 * Upper bound on idle pooled memory; beyond it, freed arrays go to the garbage collector.
 * Large enough for a convolution's columns and their gradient (2 × 75 MB for 64 channels of
 * 32×32 images, batch 32, 3×3): a fresh 75 MB array costs ~70 ms of page faults and zeroing,
 * more than the im2col that fills it (measured: 137 ms for im2col into fresh arrays, 9 ms
 * for a memcpy of the same size).
 */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;

const idle = new Map<string, TypedArray[]>();
let pooledBytes = 0;

const keyOf = (dtype: DType, length: number) => `${dtype}:${length}`;

/** An array of `length` elements: a pooled one when available (zero-filled if `zero`). */
export function takeArray(dtype: DType, length: number, zero: boolean): TypedArray {
  const list =
    length * (dtype === "bool" ? 1 : 4) >= MIN_BYTES ? idle.get(keyOf(dtype, length)) : undefined;
  const reused = list?.pop();
  if (!reused) return allocArray(dtype, length);
  pooledBytes -= reused.byteLength;
  if (zero) reused.fill(0);
  return reused;
}

/** Gives back an array nothing references any more (its storage's last handle was disposed). */
export function giveArray(dtype: DType, array: TypedArray): void {
  if (array.byteLength < MIN_BYTES || pooledBytes + array.byteLength > MAX_POOLED_BYTES) return;
  const key = keyOf(dtype, array.length);
  let list = idle.get(key);
  if (!list) idle.set(key, (list = []));
  list.push(array);
  pooledBytes += array.byteLength;
}

/** Bytes currently idle in the pool (for tests and diagnostics). */
export function pooledArrayBytes(): number {
  return pooledBytes;
}
