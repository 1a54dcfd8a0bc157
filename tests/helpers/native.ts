// What the native-kernel tests share: running code on the portable loop engine for the
// reference, and a bitwise comparison that names the first differing element.
import { expect } from "vitest";
import { nativeKernels, reloadNativeKernels } from "../../src/backend/cpu/native/native.js";

/** Whether the native kernels run here (built, and not turned off by DENDRITE_CPU_KERNEL=wasm). */
export const nativeAvailable = (): boolean =>
  process.env.DENDRITE_CPU_KERNEL !== "wasm" && nativeKernels() !== null;

/** Seeded values in [-2, 2) with NaN, ±0, ±Infinity, a subnormal and huge/tiny values mixed in. */
export function specialValues(n: number, seed: number): Float32Array {
  const specials = [NaN, 0, -0, Infinity, -Infinity, 1e-40, -3e38, 3e38, 1e-30, 1];
  let x = seed;
  return Float32Array.from({ length: n }, (_, i) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return i % 17 === 5 ? specials[(x >> 8) % specials.length] : (x / 2 ** 31) * 4 - 2;
  });
}

/** Runs fn on the JavaScript kernels (the portable path), then restores the native ones. */
export function onLoopEngine<T>(fn: () => T): T {
  process.env.DENDRITE_CPU_KERNEL = "wasm";
  reloadNativeKernels();
  try {
    return fn();
  } finally {
    delete process.env.DENDRITE_CPU_KERNEL;
    reloadNativeKernels();
  }
}

/** got and want hold the same values bit for bit (NaN equals NaN, -0 differs from +0). */
export function sameBits(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++)
    if (!Object.is(got[i], want[i])) expect(`${i}: ${got[i]}`).toBe(`${i}: ${want[i]}`);
}
