// The CPU loop engine's own exp and tanh (special.ts) against Math's float64 ones: the
// float32 values they store must be within one float32 ulp, and the edges (overflow,
// underflow, NaN, ±0, ±Infinity) must match exactly.
import { describe, expect, it } from "vitest";
import { expf, tanhf } from "../../src/backend/cpu/special.js";

/** Relative spacing of float32 values: 2^-23. */
const ULP = 2 ** -23;

function sweep(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}

function expectWithinUlp(actual: number, expected: number): void {
  const a = Math.fround(actual);
  const e = Math.fround(expected);
  if (a === e) return;
  expect(Math.abs(a - e)).toBeLessThanOrEqual(Math.abs(e) * ULP);
}

describe("CPU special functions", () => {
  it("expf stores Math.exp's float32 value to within one ulp over its whole range", () => {
    for (const x of sweep(-110, 100, 200_001)) expectWithinUlp(expf(x), Math.exp(x));
    for (const x of sweep(-1e-3, 1e-3, 2001)) expectWithinUlp(expf(x), Math.exp(x));
  });

  it("expf matches Math.exp exactly at the edges", () => {
    for (const x of [-Infinity, -1000, -88, -87, 0, -0, 88, 88.8, 89, 1000, Infinity])
      expect(Math.fround(expf(x))).toBe(Math.fround(Math.exp(x)));
    expect(expf(NaN)).toBeNaN();
  });

  it("tanhf stores Math.tanh's float32 value to within one ulp, keeping -0 and the limits", () => {
    for (const x of sweep(-20, 20, 200_001)) expectWithinUlp(tanhf(x), Math.tanh(x));
    for (const x of sweep(-0.07, 0.07, 14_001)) expectWithinUlp(tanhf(x), Math.tanh(x));
    for (const x of [1e-30, -1e-30, 1e30, -1e30, Infinity, -Infinity])
      expect(Math.fround(tanhf(x))).toBe(Math.fround(Math.tanh(x)));
    expect(Object.is(tanhf(-0), -0)).toBe(true);
    expect(tanhf(Infinity)).toBe(1);
    expect(tanhf(-Infinity)).toBe(-1);
    expect(tanhf(NaN)).toBeNaN();
  });
});
