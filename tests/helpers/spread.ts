// Deterministic test inputs and a relative-tolerance comparison shared by the fused-kernel tests.
import { expect } from "vitest";

/**
 * n values spread over [lo, hi) by the golden-ratio sequence: every part of the range is hit,
 * no two neighbours are close, and `seed` gives each operand its own order (a random generator
 * would make a failure depend on the library's own RNG).
 */
export function ramp(n: number, lo: number, hi: number, seed: number): number[] {
  return Array.from(
    { length: n },
    (_, i) => lo + ((i * 0.6180339887 + seed * 0.37) % 1) * (hi - lo),
  );
}

/** Every |actual − expected| within tol·(1 + |expected|): relative for large values, absolute near 0. */
export function expectRelClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++)
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(
      tol * (1 + Math.abs(expected[i])),
    );
}
