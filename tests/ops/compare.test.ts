// Comparisons, logical ops and where: bool results against float64 loops, with broadcasting;
// where's gradient flows to the chosen branch only.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { map, zip } from "../helpers/ref.js";
import { opTest, type InputSpec } from "../helpers/check-op.js";

// Small integer-valued floats make ties common, so eq/le/ge see both outcomes.
const INTS = { low: -2, high: 2, dtype: "int32" as const };
const asFloat = (shape: number[]) => ({ shape, ...INTS });
const CMP: InputSpec[][] = [
  [asFloat([3, 4]), asFloat([3, 4])],
  [asFloat([3, 1]), asFloat([1, 4])],
  [asFloat([2, 3, 4]), asFloat([4])],
  [asFloat([]), asFloat([5])],
  [asFloat([0, 2]), asFloat([2])],
];

describe("comparisons (bool results)", () => {
  const cmp = (
    name: "eq" | "ne" | "lt" | "le" | "gt" | "ge",
    f: (a: number, b: number) => boolean,
  ) => {
    opTest(`${name} int32`, {
      fn: (a, b) => dl[name](a, b),
      method: (a, b) => a[name](b),
      ref: (a, b) => zip((x, y) => Number(f(x, y)), a, b),
      cases: CMP,
      outDtype: "bool",
      grad: false,
    });
    opTest(`${name} float32 vs number`, {
      fn: (a) => dl[name](a, 0.25),
      method: (a) => a[name](0.25),
      ref: (a) => map(a, (x) => Number(f(x, 0.25))),
      cases: [[[3, 4]], [[]], [{ shape: [4], values: [0.25, -1, 1, 0.25] }]],
      outDtype: "bool",
      grad: false,
    });
  };
  cmp("eq", (a, b) => a === b);
  cmp("ne", (a, b) => a !== b);
  cmp("lt", (a, b) => a < b);
  cmp("le", (a, b) => a <= b);
  cmp("gt", (a, b) => a > b);
  cmp("ge", (a, b) => a >= b);
});

describe("logical ops", () => {
  const b = (shape: number[]) => ({ shape, dtype: "bool" as const });
  const cases: InputSpec[][] = [
    [b([3, 4]), b([3, 4])],
    [b([3, 1]), b([4])],
    [b([]), b([2, 2])],
    [b([0]), b([1])],
  ];
  opTest("logicalAnd", {
    fn: dl.logicalAnd,
    method: (x, y) => x.logicalAnd(y),
    ref: (x, y) => zip((p, q) => Number(p && q), x, y),
    cases,
    outDtype: "bool",
    grad: false,
  });
  opTest("logicalOr", {
    fn: dl.logicalOr,
    method: (x, y) => x.logicalOr(y),
    ref: (x, y) => zip((p, q) => Number(p || q), x, y),
    cases,
    outDtype: "bool",
    grad: false,
  });
  opTest("logicalNot", {
    fn: dl.logicalNot,
    method: (x) => x.logicalNot(),
    ref: (x) => map(x, (p) => Number(!p)),
    cases: [[b([3, 4])], [b([])], [b([0, 5])]],
    outDtype: "bool",
    grad: false,
  });
  opTest("logical ops on floats treat non-zero as true", {
    fn: (x, y) => dl.logicalAnd(x, y),
    ref: (x, y) => zip((p, q) => Number(p !== 0 && q !== 0), x, y),
    cases: [
      [
        { shape: [6], values: [0, 1, -2, 0.5, 0, 3] },
        { shape: [6], values: [0, 0, 1, 2, 1, -1] },
      ],
    ],
    outDtype: "bool",
    grad: false,
  });
});

describe("where", () => {
  const cond = (shape: number[]) => ({ shape, dtype: "bool" as const });
  const ref = zip.bind(null, (c: number, a: number, b: number) => (c ? a : b));
  opTest("where", {
    fn: dl.where,
    // PyTorch's method form: a.where(cond, b).
    method: (c, a, b) => a.where(c, b),
    ref: (c, a, b) => ref(c, a, b),
    cases: [
      [cond([3, 4]), [3, 4], [3, 4]],
      [cond([3, 1]), [1, 4], [4]],
      [cond([2, 3, 4]), [], [3, 1]],
      [cond([]), [2, 2], [2, 2]],
      [cond([0, 3]), [3], [1]],
    ],
  });
  opTest("where with numbers", {
    fn: (c, a) => dl.where(c, a, -1.5),
    ref: (c, a) => zip((p, x) => (p ? x : -1.5), c, a),
    cases: [
      [cond([3, 4]), [3, 4]],
      [cond([4]), []],
    ],
  });
  opTest("where by comparison", {
    fn: (a) => dl.where(dl.gt(a, 0), a, dl.mul(a, a)),
    ref: (a) => map(a, (x) => (x > 0 ? x : x * x)),
    cases: [[[4, 5]]],
  });
  it("promotes a mix of int and float branches to float32", () => {
    const c = dl.tensor([true, false, true]);
    const out = dl.where(c, dl.tensor([1, 2, 3]), 0.5);
    expect(out.dtype).toBe("float32");
    expect(out.toArraySync()).toEqual([1, 0.5, 3]);
    const ints = dl.where(c, dl.tensor([1, 2, 3]), 7);
    expect(ints.dtype).toBe("int32");
    expect(ints.toArraySync()).toEqual([1, 7, 3]);
  });
});
