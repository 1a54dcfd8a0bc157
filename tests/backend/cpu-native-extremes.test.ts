// max, min, argmax and argmin on the native path (kernels/extremes.c through
// native/extremes.ts) against the loop engine's folds, bitwise: values drawn from a small set
// so that ties (-0 against +0 among them), NaNs and infinities are common, runs shorter and
// longer than the kernel's lanes with tails, column strips wider than one task, middle dims,
// every dim at once, 1-3 threads. Skipped where the addon is not built or
// DENDRITE_CPU_KERNEL=wasm.
import { afterEach, describe, expect, it } from "vitest";
import { nativeKernels } from "../../src/backend/cpu/native/native.js";
import { lastNative } from "../../src/backend/cpu/native/runs.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import * as dl from "../../src/index.js";
import { nativeAvailable, onLoopEngine, sameBits } from "../helpers/native.js";

const available = nativeAvailable();

/** Seeded values from a small set: many ties, ±0, ±Infinity; NaN about once in `nanEvery`. */
function values(n: number, seed: number, nanEvery: number): Float32Array {
  const pool = [0, -0, 1, -1, 2, -2, Infinity, -Infinity, 0.5, -0.5];
  let x = seed;
  return Float32Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x >> 4) % nanEvery === 0 ? NaN : pool[(x >> 8) % pool.length];
  });
}

/** [shape, dim (undefined: every dim), what it exercises]. */
const CASES: [number[], number | undefined, string][] = [
  [[300, 7], 1, "runs shorter than two lanes' blocks"],
  [[97, 1031], 1, "long runs with a tail"],
  [[1031, 97], 0, "columns, one strip"],
  [[37, 600], 0, "columns, three strips, the last partial"],
  [[6, 50, 33], 1, "a middle dim"],
  [[40, 30, 20], undefined, "every dim at once"],
];

const OPS = {
  max: (x: dl.Tensor, d?: number) => (d === undefined ? dl.max(x) : dl.max(x, d)),
  min: (x: dl.Tensor, d?: number) => (d === undefined ? dl.min(x) : dl.min(x, d)),
  argmax: (x: dl.Tensor, d?: number) => dl.argmax(x, d),
  argmin: (x: dl.Tensor, d?: number) => dl.argmin(x, d),
};

describe.skipIf(!available)("native max, min, argmax, argmin", () => {
  const saved = { ...threadSettings };
  afterEach(() => {
    Object.assign(threadSettings, saved);
    dl.setNumThreads(saved.threads);
  });

  for (const [name, op] of Object.entries(OPS))
    for (const [shape, dim, what] of CASES)
      for (const nanEvery of [7, 5000])
        it(`${name} over ${what} (NaN ~1/${nanEvery}): bitwise the loop engine, 1-3 threads`, () => {
          threadSettings.minParallelElements = 0;
          const n = shape.reduce((p, q) => p * q, 1);
          const x = dl.tensor(values(n, n + nanEvery, nanEvery)).reshape(shape);
          const want = onLoopEngine(() => Array.from(op(x, dim).dataSync()));
          for (const threads of [1, 2, 3]) {
            dl.setNumThreads(threads);
            lastNative.threads = 0;
            const got = op(x, dim);
            expect(lastNative.threads).toBe(threads); // the native kernel ran
            sameBits(Array.from(got.dataSync()), want);
          }
        });

  it("a strided view, an int32 tensor and an empty dim stay on the loop engine", () => {
    const x = dl.tensor(values(64 * 64, 3, 11)).reshape([64, 64]);
    const want = onLoopEngine(() => Array.from(dl.max(x.transpose(0, 1), 1).dataSync()));
    lastNative.threads = 0;
    sameBits(Array.from(dl.max(x.transpose(0, 1), 1).dataSync()), want);
    expect(lastNative.threads).toBe(0);
    expect(
      Array.from(dl.argmax(dl.tensor([[3, 9, 9, 1]], { dtype: "int32" }), 1).dataSync()),
    ).toEqual([1]);
    expect(() => dl.max(dl.zeros([3, 0]), 1)).toThrow(/zero-size/);
  });

  it("the native call throws (never crashes) on a wrong argument", () => {
    const nk = nativeKernels()!;
    const x = new Float32Array(12);
    const p = (op: number, outer: number, R: number, inner: number) =>
      Float64Array.from([op, 0, 0, outer, R, inner, 1]);
    expect(() => nk.extreme(x, new Float32Array(3), p(0, 3, 4, 1))).not.toThrow();
    expect(() => nk.extreme(x, new Float32Array(3), p(0, 3, 5, 1))).toThrow(/bounds/);
    expect(() => nk.extreme(x, new Float32Array(2), p(1, 3, 4, 1))).toThrow(/bounds/);
    expect(() => nk.extreme(x, new Float32Array(3), p(2, 3, 4, 1))).toThrow(/Int32Array/);
    expect(() => nk.extreme(x, new Int32Array(3), p(7, 3, 4, 1))).toThrow(/bad op/);
  });
});
