// The native strided copy (native/copy.c through native/copy.ts): permuted, sliced, stepped and
// broadcast float32 / int32 views made contiguous bitwise as the loop engine does, on 1-3
// threads; and the sums and binary ops that now copy an operand no kernel pattern reads
// before their native kernel, against the same ops on contiguous copies. Skipped where the
// addon is not built or DENDRITE_CPU_KERNEL=wasm.
import { afterEach, describe, expect, it } from "vitest";
import { lastNative } from "../../src/backend/cpu/native/runs.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { ramp } from "../helpers/spread.js";
import * as dl from "../../src/index.js";
import { nativeAvailable, onLoopEngine, sameBits } from "../helpers/native.js";

const available = nativeAvailable();

const x = dl.tensor(ramp(6 * 7 * 40 * 9, -3, 3, 1)).reshape([6, 7, 40, 9]);
const ints = dl.arange(6 * 7 * 40 * 9).reshape([6, 7, 40, 9]);
/** Views the copy takes, each non-contiguous or broadcast. */
const VIEWS: Record<string, (t: dl.Tensor) => dl.Tensor> = {
  "a permute": (t) => t.permute([2, 0, 3, 1]),
  "a transpose of the last two dims": (t) => t.transpose(2, 3),
  "a narrowed inner dim": (t) => t.narrow(3, 2, 5),
  "stepped slices": (t) => t.slice("1:6:2, ::3, 3:40:5, ::4"),
  "a broadcast row": (t) => t.narrow(0, 0, 1).narrow(1, 0, 1).expand([5, 7, 40, 9]),
  "a broadcast column": (t) => t.narrow(3, 4, 1).expand([6, 7, 40, 30]),
};

describe.skipIf(!available)("native strided copy", () => {
  const saved = { ...threadSettings };
  afterEach(() => {
    Object.assign(threadSettings, saved);
    dl.setNumThreads(saved.threads);
  });

  for (const [name, view] of Object.entries(VIEWS))
    it(`${name}: contiguous() is bitwise the loop engine's, float32 and int32, 1-3 threads`, () => {
      threadSettings.minParallelElements = 0;
      for (const source of [x, ints]) {
        const want = onLoopEngine(() => view(source).contiguous().dataSync());
        for (const threads of [1, 2, 3]) {
          dl.setNumThreads(threads);
          lastNative.threads = 0;
          const got = view(source).contiguous();
          expect(lastNative.threads).toBe(threads); // the native copy ran
          expect(got.shape).toEqual(view(source).shape);
          sameBits(got.dataSync(), want);
        }
      }
    });

  it("sums of strided views equal the sums of their contiguous copies", () => {
    const p = x.permute([2, 0, 3, 1]); // [40, 6, 9, 7]
    for (const dims of [[0], [3], [1, 2], [0, 1]]) {
      const want = p.contiguous().sum(dims).dataSync();
      lastNative.threads = 0;
      const got = p.sum(dims);
      expect(lastNative.threads).toBeGreaterThan(0); // copied, then the native sum
      sameBits(got.dataSync(), want);
    }
  });

  it("sums over dims no sum pattern reads move them last, then sum natively (average pooling)", () => {
    // [N, C, OH, kh, OW, kw] summed over kh and kw, as avgPool2d's tiled windows are.
    const w = dl.tensor(ramp(2 * 3 * 8 * 2 * 8 * 2, -1, 1, 7)).reshape([2, 3, 8, 2, 8, 2]);
    const W = w.dataSync();
    lastNative.threads = 0;
    const got = w.sum([3, 5]);
    expect(lastNative.threads).toBeGreaterThan(0);
    expect(got.shape).toEqual([2, 3, 8, 8]);
    const G = got.dataSync();
    for (let o = 0; o < 2 * 3 * 8; o++)
      for (let q = 0; q < 8; q++) {
        let t = 0;
        for (let i = 0; i < 2; i++)
          for (let j = 0; j < 2; j++) t += W[((o * 2 + i) * 8 + q) * 2 + j];
        expect(Math.abs(G[o * 8 + q] - t)).toBeLessThanOrEqual(1e-6 * Math.abs(t) + 1e-7);
      }
    sameBits(w.sum([3, 5], true).dataSync(), G); // keepdim: the same elements in the same order
  });

  it("binary ops with a permuted operand equal the ops on contiguous copies", () => {
    const a = x.transpose(2, 3); // [6, 7, 9, 40]
    const b = dl.tensor(ramp(6 * 7 * 9 * 40, -2, 2, 5)).reshape([6, 7, 9, 40]);
    for (const op of [
      (u: dl.Tensor, v: dl.Tensor) => u.add(v),
      (u: dl.Tensor, v: dl.Tensor) => u.mul(v),
    ]) {
      const want = op(a.contiguous(), b).dataSync();
      lastNative.threads = 0;
      const got = op(a, b);
      expect(lastNative.threads).toBeGreaterThan(0); // copied, then the native kernel
      sameBits(got.dataSync(), want);
      sameBits(op(b, a).dataSync(), op(b, a.contiguous()).dataSync());
    }
  });
});
