// The op-test helper itself must be able to fail: a wrong forward, a wrong gradient, a wrong
// method form, a wrong shape and a kernel that ignores strides are all caught.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { arr, map } from "../helpers/ref.js";
import { checkOp, stridedTensor } from "../helpers/check-op.js";

describe("checkOp catches", () => {
  const cases = [[[3, 4]]];
  it("a wrong forward value", async () => {
    await expect(
      checkOp("bad forward", { fn: dl.exp, ref: (a) => map(a, (v) => Math.exp(v) + 1e-3), cases }),
    ).rejects.toThrow(/bad forward case 0.*mismatch/);
  });
  it("a wrong gradient (a detached factor)", async () => {
    await expect(
      checkOp("bad grad", {
        fn: (x) => dl.mul(x.detach(), x),
        ref: (a) => map(a, (v) => v * v),
        cases,
      }),
    ).rejects.toThrow(/bad grad case 0.*gradient of input 0/);
  });
  it("a method form that differs", async () => {
    await expect(
      checkOp("bad method", {
        fn: dl.exp,
        method: (x) => x.exp().add(1e-6),
        ref: (a) => map(a, Math.exp),
        cases,
      }),
    ).rejects.toThrow(/method form/);
  });
  it("a wrong shape", async () => {
    await expect(
      checkOp("bad shape", {
        fn: (x) => x.reshape([4, 3]),
        ref: (a) => a,
        cases,
      }),
    ).rejects.toThrow(/shape \[4, 3\], expected \[3, 4\]/);
  });
  it("a read through the wrong strides (the gaps hold NaN)", async () => {
    const t = stridedTensor(arr([2, 3], [1, 2, 3, 4, 5, 6]));
    expect(t.isContiguous).toBe(false);
    expect(t.offset).toBeGreaterThan(0);
    expect(t.toArraySync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    await expect(
      checkOp("strided only", {
        fn: (x) => (x.isContiguous ? x.add(0) : dl.add(x, NaN)),
        ref: (a) => a,
        cases,
        grad: false,
      }),
    ).rejects.toThrow(/strided.*got NaN/);
  });
});
