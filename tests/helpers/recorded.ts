// Helpers for tests against values recorded from PyTorch: the recordings fill inputs with
// sin(0.61·i + seed) and every state-dict entry j with 0.4·sin(0.37·i + 1.1·j + 0.3) (i the
// flat index, all rounded to float32), and print their outputs as whitespace-separated text.
import { expect } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

/** The largest absolute difference stays under atol (lengths must match). */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol = 2e-5,
): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++)
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(atol);
}

/** Numbers printed by the recording script, whitespace-separated. */
export const nums = (s: string): number[] => s.trim().split(/\s+/).map(Number);

/** The recording's input: float32 sin(0.61·i + seed), times factor. */
export const sinTensor = (shape: number[], seed: number, factor = 1): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return dl.tensor(
    Float32Array.from({ length: n }, (_, i) => Math.sin(0.61 * i + seed)).map((x) => x * factor),
    { shape },
  );
};

/** Loads the recording's parameters: entry j of the state dict gets 0.4·sin(0.37·i + 1.1·j + 0.3). */
export function fillLikeRecording(m: dl.nn.Module): void {
  const dict: Record<string, Tensor> = {};
  Object.entries(m.stateDict()).forEach(([name, t], j) => {
    const values = Float32Array.from(
      { length: t.size },
      (_, i) => 0.4 * Math.sin(0.37 * i + 1.1 * j + 0.3),
    );
    dict[name] = dl.tensor(values, { shape: [...t.shape] });
  });
  m.loadStateDict(dict);
}
