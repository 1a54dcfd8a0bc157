// What the native-kernel tests share: running code on the portable loop engine for the
// reference, and a bitwise comparison that names the first differing element.
import { expect } from "vitest";
import { reloadNativeKernels } from "../../src/backend/cpu/native/native.js";

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
