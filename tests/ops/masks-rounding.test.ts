// floor, ceil, round (half to even, zero gradient), maskedFill, all/any, clone, and the
// dim forms of max/min with PyTorch's .values/.indices, against float64 loops and values
// recorded from PyTorch 1.13, on every device.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { map, reduce, zip } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";
import { DEVICES } from "../helpers/devices.js";

const roundHalfEven = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v - Math.trunc(v)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

describe("rounding", () => {
  const cases = [[[3, 4]], [[2, 3, 5]], [[]], [[0, 3]]];
  opTest("floor", {
    fn: dl.floor,
    method: (x) => x.floor(),
    ref: (a) => map(a, Math.floor),
    cases,
    low: -5,
    high: 5,
  });
  opTest("ceil", {
    fn: dl.ceil,
    method: (x) => x.ceil(),
    ref: (a) => map(a, Math.ceil),
    cases,
    low: -5,
    high: 5,
  });
  opTest("round", {
    fn: dl.round,
    method: (x) => x.round(),
    ref: (a) => map(a, roundHalfEven),
    cases,
    low: -5,
    high: 5,
  });
  opTest("round halves to even", {
    fn: dl.round,
    ref: (a) => map(a, roundHalfEven),
    cases: [[{ shape: [8], values: [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.49, -3.51] }]],
    grad: false, // the halves are the jumps: no finite difference there
  });
  opTest("floor of int32 is the identity", {
    fn: dl.floor,
    ref: (a) => a,
    cases: [[{ shape: [5], dtype: "int32" }]],
    outDtype: "int32",
    grad: false,
  });

  it("keeps requiresGrad and gives a zero gradient, as PyTorch", () => {
    const x = dl.tensor([0.3, 1.7, -2.5], { requiresGrad: true });
    const y = dl.add(dl.round(x), dl.floor(x)).add(dl.ceil(x));
    expect(y.requiresGrad).toBe(true);
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 0, 0]);
  });
});

describe("maskedFill, all, any, clone", () => {
  opTest("maskedFill", {
    fn: (x, m) => dl.maskedFill(x, m.bool(), -1.5),
    method: (x, m) => x.maskedFill(m.bool(), -1.5),
    ref: (a, m) => zip((v, k) => (k ? -1.5 : v), a, m),
    cases: [
      [[3, 4], { shape: [3, 4], dtype: "bool" }],
      [[2, 3], { shape: [3], dtype: "bool" }],
    ],
  });
  const anyRef = (v: number[]) => (v.some((x) => x !== 0) ? 1 : 0);
  const allRef = (v: number[]) => (v.every((x) => x !== 0) ? 1 : 0);
  opTest("any", {
    fn: (x) => dl.any(x, 1),
    method: (x) => x.any(1),
    ref: (a) => reduce(a, 1, false, anyRef),
    cases: [
      [{ shape: [6, 3], dtype: "bool" }],
      [{ shape: [4, 0], dtype: "bool" }],
      [{ shape: [3, 2], values: [0, 0, 0, 1.5, 2, 3] }],
    ],
    outDtype: "bool",
    grad: false,
  });
  opTest("all", {
    fn: (x) => dl.all(x, -1, true),
    method: (x) => x.all(-1, true),
    ref: (a) => reduce(a, -1, true, allRef),
    cases: [
      [{ shape: [6, 3], dtype: "bool" }],
      [{ shape: [4, 0], dtype: "bool" }],
      [{ shape: [3, 2], dtype: "int32", low: 0, high: 3 }],
    ],
    outDtype: "bool",
    grad: false,
  });
  opTest("all over everything", {
    fn: (x) => dl.all(x),
    ref: (a) => reduce(a, undefined, false, allRef),
    cases: [[{ shape: [2, 3], dtype: "bool" }]],
    outDtype: "bool",
    grad: false,
  });
  opTest("clone", {
    fn: dl.clone,
    method: (x) => x.clone(),
    ref: (a) => a,
    cases: [[[3, 4]], [[]]],
  });

  it("maskedFill keeps the dtype and refuses a non-bool mask", () => {
    const x = dl.tensor([1, 2, 3]);
    expect(dl.maskedFill(x, dl.tensor([true, false, true]), 0.7).toArraySync()).toEqual([0, 2, 0]);
    expect(() => dl.maskedFill(x, dl.tensor([1, 0, 1]), 0)).toThrow(/maskedFill.*bool/);
  });

  it("clone owns its storage: updating the clone leaves the original alone", () => {
    const x = dl.tensor([1.5, 2.5]);
    const c = x.clone();
    c.mul_(2);
    expect(x.toArraySync()).toEqual([1.5, 2.5]);
    expect(c.toArraySync()).toEqual([3, 5]);
  });
});

describe("max and min over one dim: values and indices", () => {
  describe.each(DEVICES)("$device", ({ device, available }) => {
    it.skipIf(!available)("match PyTorch's named tuple, first index on ties", async () => {
      await dl.useDevice(device);
      try {
        const x = dl
          .tensor([
            [1, 5, 5, -2],
            [7, 0, 7, 3],
          ])
          .float();
        // torch.max(x, 1): values [5, 7], indices [1, 0]; torch.min(x, 0, keepdim=True).
        const m = x.max(1);
        expect(await m.toArray()).toEqual([5, 7]);
        expect(await m.values.toArray()).toEqual([5, 7]);
        expect(await m.indices.toArray()).toEqual([1, 0]);
        const { values, indices } = dl.min(x, 0, true);
        expect(await values.toArray()).toEqual([[1, 0, 5, -2]]);
        expect(await indices.toArray()).toEqual([[0, 1, 0, 0]]);
        expect(indices.dtype).toBe("int32");
        expect(await dl.amax(x, [0, 1]).toArray()).toEqual(7);
        expect(await x.amin(1).toArray()).toEqual([-2, 0]);
      } finally {
        await dl.useDevice("cpu");
      }
    });
  });

  it("the values stay differentiable; reading indices after an in-place change fails", () => {
    const x = dl.tensor([[1, 3, 2]], { dtype: "float32", requiresGrad: true });
    const m = x.max(1);
    m.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 1, 0]);
    const y = dl.tensor([4, 1, 9]);
    const r = dl.max(y, 0);
    dl.noGrad(() => y.mul_(-1));
    expect(() => r.indices).toThrow(/argmax.*modified in place \(mul_\)/);
  });
});
