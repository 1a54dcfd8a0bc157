// The native gather / scatterAdd row loops (src/backend/cpu/native/indexing.c): the C loop
// against a float64 reference on rows with steps (a strided layout), through dl against the
// portable loops (bitwise, repeated indices accumulating in the same order), out-of-range
// indices named by the op, and operands outside their arrays refused with an error, not a
// crash. Skipped where the addon is not loaded (the TypeScript loops then run, and
// tests/ops/indexing.test.ts covers them on both paths).
import { afterEach, describe, expect, it } from "vitest";
import { nativeKernels, reloadNativeKernels } from "../../src/backend/cpu/native/native.js";
import * as dl from "../../src/index.js";
import { ramp } from "../helpers/spread.js";

const nk = nativeKernels();

afterEach(() => {
  delete process.env.DENDRITE_CPU_KERNEL;
  reloadNativeKernels();
});

describe.skipIf(!nk?.gatherRows)("native gather / scatterAdd rows", () => {
  it("gather and scatterAdd rows match a reference loop, steps and offsets included", () => {
    // Two rows of 3 elements: index i from 1 and 7 (step 2), target t from 0 and 4 (step 1,
    // dim stride 2), other o from 12 and 13 (step −1: the rows overlap, the later one wins).
    const target = Float32Array.from(ramp(12, -3, 3, 1));
    const index = Int32Array.from([9, 0, 9, 1, 9, 2, 9, 1, 9, 0, 9, 2]);
    const [i0, t0, o0] = [
      Int32Array.from([1, 7]),
      Int32Array.from([0, 4]),
      Int32Array.from([12, 13]),
    ];
    const params = Float64Array.from([2, 3, 2, 1, -1, 3, 2, 0]);
    const other = new Float32Array(14);
    expect(nk!.gatherRows!(target, index, other, i0, t0, o0, params)).toBe(true);
    const expected = new Float32Array(14);
    for (let r = 0; r < 2; r++)
      for (let j = 0; j < 3; j++) {
        const k = index[i0[r] + 2 * j];
        expected[o0[r] - j] = target[t0[r] + j + 2 * k];
      }
    expect(Array.from(other)).toEqual(Array.from(expected));
    // scatter: target[t + k·stride] += other[o], repeated k accumulating.
    const acc = new Float32Array(12);
    const ref = new Float64Array(12);
    params[7] = 1;
    expect(nk!.gatherRows!(acc, index, other, i0, t0, o0, params)).toBe(true);
    for (let r = 0; r < 2; r++)
      for (let j = 0; j < 3; j++) ref[t0[r] + j + 2 * index[i0[r] + 2 * j]] += other[o0[r] - j];
    expect(Array.from(acc)).toEqual(Array.from(Float32Array.from(ref)));
  });

  it("refuses an out-of-range index (false) and operands outside their arrays (an error)", () => {
    const target = new Float32Array(8);
    const other = new Float32Array(4);
    const rows = [Int32Array.from([0]), Int32Array.from([0]), Int32Array.from([0])] as const;
    const params = Float64Array.from([1, 4, 1, 1, 1, 2, 4, 0]);
    expect(nk!.gatherRows!(target, Int32Array.from([0, 1, 2, 0]), other, ...rows, params)).toBe(
      false,
    );
    expect(nk!.gatherRows!(target, Int32Array.from([0, 1, 1, 0]), other, ...rows, params)).toBe(
      true,
    );
    const tooLong = Float64Array.from([1, 5, 1, 1, 1, 2, 4, 0]);
    expect(() => nk!.gatherRows!(target, new Int32Array(5), other, ...rows, tooLong)).toThrow(
      /bounds/,
    );
  });

  it("dl.gather and dl.scatterAdd equal the portable loops bitwise on strided views", () => {
    const run = () => {
      dl.manualSeed(2);
      const x = dl.randn([6, 40, 7]).transpose(0, 2); // [7, 40, 6], strided
      const index = dl.randint(0, 40, [7, 33, 6]);
      const picked = x.gather(1, index);
      const src = dl.randn([7, 33, 6]);
      const summed = dl.zeros([7, 40, 6]).scatterAdd(1, index, src);
      return [picked, summed].map((t) => t.dataSync());
    };
    const native = run();
    process.env.DENDRITE_CPU_KERNEL = "wasm";
    expect(reloadNativeKernels()).toBeNull();
    const portable = run();
    native.forEach((a, k) => expect(Array.from(a)).toEqual(Array.from(portable[k])));
  });

  it("an out-of-range index is still an error naming the op, the dim and the size", () => {
    const x = dl.randn([2, 5]);
    expect(() => x.gather(1, dl.tensor([[0, 5]], { dtype: "int32" }).expand([2, 2]))).toThrow(
      /gather.*index 5 is out of bounds for dim 1 with size 5/,
    );
    expect(() =>
      dl
        .zeros([2, 5])
        .scatterAdd(1, dl.tensor([[-1, 0]], { dtype: "int32" }).expand([2, 2]), x.narrow(1, 0, 2)),
    ).toThrow(/scatterAdd.*index -1 is out of bounds/);
  });
});
