// cumsum, cumprod, argsort, sort and topk against float64 line-by-line references, with
// gradients by finite differences (cumprod's through zeros too), on every device.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { opTest } from "../helpers/check-op.js";
import { DEVICES } from "../helpers/devices.js";
import { mapLines, stableOrder } from "../helpers/lines.js";

const running = (op: (a: number, b: number) => number, init: number) => (line: number[]) => {
  let acc = init;
  return line.map((v) => (acc = op(acc, v)));
};
const cumsumRef = running((a, b) => a + b, 0);
const cumprodRef = running((a, b) => a * b, 1);

describe("cumsum and cumprod", () => {
  opTest("cumsum", {
    fn: (x) => dl.cumsum(x, 1),
    method: (x) => x.cumsum(1),
    ref: (a) => mapLines(a, 1, cumsumRef),
    cases: [[[3, 5]], [[2, 4, 3]]],
  });
  opTest("cumsum over the last dim, negative", {
    fn: (x) => dl.cumsum(x, -1),
    ref: (a) => mapLines(a, -1, cumsumRef),
    cases: [[[7]], [[2, 3, 4]], [[]], [[3, 0]]],
  });
  opTest("cumprod", {
    fn: (x) => dl.cumprod(x, 0),
    method: (x) => x.cumprod(0),
    ref: (a) => mapLines(a, 0, cumprodRef),
    cases: [[[4, 3]], [[3, 2, 2]], [[6]]],
  });
  // One zero, two zeros, a zero first and last in a line: exact gradients, no NaN.
  opTest("cumprod with zeros", {
    fn: (x) => dl.cumprod(x, 1),
    ref: (a) => mapLines(a, 1, cumprodRef),
    cases: [
      [
        {
          shape: [4, 5],
          values: [1.5, 0, 2, -1, 0.5, 0, 2, 3, 0, 1, 2, -0.5, 1.5, 0.5, 0, 1, 2, 3, 4, 0.5],
        },
      ],
    ],
  });
  opTest("cumsum of int32", {
    fn: (x) => dl.cumsum(x, 0),
    ref: (a) => mapLines(a, 0, cumsumRef),
    cases: [[{ shape: [5, 2], dtype: "int32" }]],
    outDtype: "int32",
    grad: false,
  });
});

describe("argsort, sort, topk", () => {
  opTest("argsort", {
    fn: (x) => dl.argsort(x, 1),
    method: (x) => x.argsort(1),
    ref: (a) => mapLines(a, 1, (l) => stableOrder(l)),
    cases: [[[3, 6]], [[2, 5, 3]]],
    outDtype: "int32",
    grad: false,
  });
  opTest("argsort descending with ties and NaN", {
    fn: (x) => dl.argsort(x, -1, { descending: true }),
    ref: (a) => mapLines(a, -1, (l) => stableOrder(l, true)),
    cases: [[{ shape: [2, 6], values: [1, 3, NaN, 3, 1, 2, 0, 0, 0, -1, NaN, 5] }]],
    outDtype: "int32",
    grad: false,
  });
  opTest("argsort ascending with ties and NaN", {
    fn: (x) => dl.argsort(x, 0),
    ref: (a) => mapLines(a, 0, (l) => stableOrder(l)),
    cases: [[{ shape: [6, 2], values: [1, 3, NaN, 3, 1, 2, 0, 0, 0, -1, NaN, 5] }]],
    outDtype: "int32",
    grad: false,
  });
  opTest("argsort of int32", {
    fn: (x) => dl.argsort(x, 0),
    ref: (a) => mapLines(a, 0, (l) => stableOrder(l)),
    cases: [[{ shape: [9, 2], dtype: "int32", low: -3, high: 3 }]],
    outDtype: "int32",
    grad: false,
  });
  opTest("sort values", {
    fn: (x) => dl.sort(x, 1, { descending: true }).values,
    method: (x) => x.sort(1, { descending: true }).values,
    ref: (a) => mapLines(a, 1, (l) => stableOrder(l, true).map((i) => l[i])),
    cases: [[[3, 5]], [[2, 4, 3]]],
  });
  opTest("topk values", {
    fn: (x) => dl.topk(x, 2, -1).values,
    method: (x) => x.topk(2).values,
    ref: (a) =>
      mapLines(a, -1, (l) =>
        stableOrder(l, true)
          .slice(0, 2)
          .map((i) => l[i]),
      ),
    cases: [[[3, 5]], [[2, 3, 4]]],
  });
  opTest("topk smallest", {
    fn: (x) => dl.topk(x, 3, 0, { largest: false }).values,
    ref: (a) =>
      mapLines(a, 0, (l) =>
        stableOrder(l)
          .slice(0, 3)
          .map((i) => l[i]),
      ),
    cases: [[[5, 3]]],
  });

  describe.each(DEVICES)("$device", ({ device, available }) => {
    it.skipIf(!available)("sort and topk return PyTorch's (values, indices)", async () => {
      await dl.useDevice(device);
      try {
        const x = dl.tensor([
          [3, 1, 2, 1],
          [0, -1, 5, 5],
        ]);
        const s = x.sort(1);
        expect(await s.values.toArray()).toEqual([
          [1, 1, 2, 3],
          [-1, 0, 5, 5],
        ]);
        expect(await s.indices.toArray()).toEqual([
          [1, 3, 2, 0],
          [1, 0, 2, 3],
        ]);
        const t = dl.topk(x, 2);
        // torch.topk(x, 2): values [[3, 2], [5, 5]], indices [[0, 2], [2, 3]].
        expect(await t.values.toArray()).toEqual([
          [3, 2],
          [5, 5],
        ]);
        expect(await t.indices.toArray()).toEqual([
          [0, 2],
          [2, 3],
        ]);
      } finally {
        await dl.useDevice("cpu");
      }
    });
  });

  describe.each(DEVICES)("$device", ({ device, available }) => {
    it.skipIf(!available)("read a contiguous view at an offset (narrow)", async () => {
      await dl.useDevice(device);
      try {
        const x = dl
          .tensor([
            [9, 9, 9],
            [3, 1, 2],
            [0, 5, -1],
          ])
          .float();
        const v = x.narrow(0, 1, 2);
        expect(await dl.cumsum(v, 1).toArray()).toEqual([
          [3, 4, 6],
          [0, 5, 4],
        ]);
        expect(await dl.argsort(v, 1).toArray()).toEqual([
          [1, 2, 0],
          [2, 0, 1],
        ]);
      } finally {
        await dl.useDevice("cpu");
      }
    });
  });

  it("rejects a bad dim or k with a DendriteError naming the op", () => {
    const x = dl.rand([2, 3]);
    expect(() => dl.cumsum(x, 2)).toThrow(/cumsum.*dim 2 is out of range/);
    expect(() => dl.argsort(x, -3)).toThrow(/argsort.*dim -3/);
    expect(() => dl.topk(x, 4)).toThrow(/topk.*k=4 is out of range/);
    expect(() => dl.cumprod(x, 0.5)).toThrow(/cumprod/);
    expect(() => dl.cumsum(x, 2)).toThrow(dl.DendriteError);
  });
});
