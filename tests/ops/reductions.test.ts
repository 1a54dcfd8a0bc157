// Reductions over no dim, one dim, negative dims and dim lists, with and without keepdim;
// softmax and logSoftmax; argmax/argmin. Gradients against finite differences.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { reduce, zip, type Arr } from "../helpers/ref.js";
import { opTest, type InputSpec } from "../helpers/check-op.js";

type Dims = number | number[] | undefined;
interface Config {
  dim: Dims;
  keepdim: boolean;
  cases: InputSpec[][];
}

const CONFIGS: Config[] = [
  { dim: undefined, keepdim: false, cases: [[[3, 4]], [[]], [[2, 3, 4]]] },
  { dim: 1, keepdim: false, cases: [[[3, 4]], [[2, 3, 4]]] },
  { dim: -1, keepdim: true, cases: [[[3, 4]], [[2, 3, 4]], [[5]]] },
  { dim: [0, 2], keepdim: false, cases: [[[2, 3, 4]]] },
  { dim: [-1, 0], keepdim: true, cases: [[[2, 3, 4]]] },
];

const total = (v: number[]) => v.reduce((s, x) => s + x, 0);
const meanOf = (v: number[]) => total(v) / v.length;
const varOf = (v: number[], correction = 1) => {
  const m = meanOf(v);
  return total(v.map((x) => (x - m) ** 2)) / (v.length - correction);
};
const lse = (v: number[]) => {
  const m = Math.max(...v);
  return m + Math.log(total(v.map((x) => Math.exp(x - m))));
};

type Reducer = (x: dl.Tensor, dim: Dims, keepdim: boolean) => dl.Tensor;
const REDUCTIONS: [string, Reducer, Reducer, (v: number[]) => number][] = [
  ["sum", (x, d, k) => dl.sum(x, d, k), (x, d, k) => x.sum(d, k), total],
  ["mean", (x, d, k) => dl.mean(x, d, k), (x, d, k) => x.mean(d, k), meanOf],
  ["max", (x, d, k) => dl.max(x, d, k), (x, d, k) => x.max(d, k), (v) => Math.max(...v)],
  ["min", (x, d, k) => dl.min(x, d, k), (x, d, k) => x.min(d, k), (v) => Math.min(...v)],
  [
    "prod",
    (x, d, k) => dl.prod(x, d, k),
    (x, d, k) => x.prod(d, k),
    (v) => v.reduce((p, x) => p * x, 1),
  ],
  ["var", (x, d, k) => dl.var(x, d, k), (x, d, k) => x.var(d, k), (v) => varOf(v)],
  ["std", (x, d, k) => dl.std(x, d, k), (x, d, k) => x.std(d, k), (v) => Math.sqrt(varOf(v))],
  ["logsumexp", (x, d, k) => dl.logsumexp(x, d, k), (x, d, k) => x.logsumexp(d, k), lse],
];

describe("reductions", () => {
  for (const [name, fn, method, f] of REDUCTIONS)
    for (const { dim, keepdim, cases } of CONFIGS) {
      // var/std of one element divide by zero (NaN in PyTorch too): skip the scalar case.
      const usable =
        name === "var" || name === "std"
          ? cases.filter((c) => (c[0] as number[]).length > 0)
          : cases;
      opTest(`${name}(dim=${JSON.stringify(dim)}, keepdim=${keepdim})`, {
        fn: (x) => fn(x, dim, keepdim),
        method: (x) => method(x, dim, keepdim),
        ref: (a) => reduce(a, dim, keepdim, f),
        cases: usable,
        // Factors near 1 keep products of up to 24 of them in range.
        low: name === "prod" ? 0.5 : undefined,
        high: name === "prod" ? 1.5 : undefined,
      });
    }

  opTest("var with correction 0", {
    fn: (x) => dl.var(x, 1, false, { correction: 0 }),
    method: (x) => x.var(1, false, { correction: 0 }),
    ref: (a) => reduce(a, 1, false, (v) => varOf(v, 0)),
    cases: [[[3, 4]], [[2, 1, 3]]],
  });
  opTest("std with correction 0, keepdim", {
    fn: (x) => dl.std(x, [0, 1], true, { correction: 0 }),
    ref: (a) => reduce(a, [0, 1], true, (v) => Math.sqrt(varOf(v, 0))),
    cases: [[[3, 4]]],
  });
  opTest("sum over a zero-size dim is zeros", {
    fn: (x) => dl.sum(x, 0),
    ref: (a) => reduce(a, 0, false, total),
    cases: [[[0, 3]]],
  });
  opTest("prod over a zero-size dim is ones", {
    fn: (x) => dl.prod(x, 0, true),
    ref: (a) => reduce(a, 0, true, (v) => v.reduce((p, x) => p * x, 1)),
    cases: [[[0, 3]]],
  });
  opTest("mean over a zero-size dim is NaN", {
    fn: (x) => dl.mean(x, 0),
    ref: (a) => reduce(a, 0, false, () => NaN),
    cases: [[[0, 2]]],
    grad: false,
  });
  opTest("logsumexp of large values does not overflow", {
    fn: (x) => dl.logsumexp(x, 1),
    ref: (a) => reduce(a, 1, false, lse),
    cases: [[{ shape: [2, 3], values: [1000, 1001, 999, -1000, -1002, -1001] }]],
    rtol: 1e-6,
  });
});

describe("softmax and logSoftmax", () => {
  const softmaxRef = (a: Arr, dim: number, log: boolean): Arr => {
    const l = reduce(a, dim, true, lse);
    return zip((x, m) => (log ? x - m : Math.exp(x - m)), a, l);
  };
  for (const dim of [0, 1, -1]) {
    opTest(`softmax(dim=${dim})`, {
      fn: (x) => dl.softmax(x, dim),
      method: (x) => x.softmax(dim),
      ref: (a) => softmaxRef(a, dim, false),
      cases: [[[3, 4]], [[2, 3]]],
      low: -4,
      high: 4,
    });
    opTest(`logSoftmax(dim=${dim})`, {
      fn: (x) => dl.logSoftmax(x, dim),
      method: (x) => x.logSoftmax(dim),
      ref: (a) => softmaxRef(a, dim, true),
      cases: [[[3, 4]], [[2, 3]]],
      low: -4,
      high: 4,
    });
  }
  opTest("softmax of a 3-D tensor over the middle dim", {
    fn: (x) => dl.softmax(x, 1),
    ref: (a) => softmaxRef(a, 1, false),
    cases: [[[2, 3, 4]]],
  });
  opTest("softmax of a 1-D tensor without dim", {
    fn: (x) => dl.softmax(x),
    ref: (a) => softmaxRef(a, 0, false),
    cases: [[[5]]],
  });
  opTest("softmax of huge logits stays finite", {
    fn: (x) => dl.softmax(x, -1),
    ref: (a) => softmaxRef(a, -1, false),
    cases: [[{ shape: [2, 2], values: [1000, 999, -500, -501] }]],
    grad: false,
  });
});

describe("argmax and argmin", () => {
  const argRef = (a: Arr, dim: number | undefined, keepdim: boolean, max: boolean): Arr => {
    const pick = (v: number[]) => {
      let best = 0;
      v.forEach((x, i) => {
        if (max ? x > v[best] : x < v[best]) best = i;
      });
      return best;
    };
    if (dim !== undefined) return reduce(a, dim, keepdim, pick);
    const flat = reduce(a, undefined, keepdim, pick);
    return flat;
  };
  // Small integers make ties, and ties must resolve to the first index.
  const ints = (shape: number[]) => ({ shape, low: -2, high: 2, dtype: "int32" as const });
  const configs: [number | undefined, boolean, InputSpec[][]][] = [
    [undefined, false, [[[3, 4]], [ints([3, 4])], [[]]]],
    [undefined, true, [[[2, 3]]]],
    [1, false, [[[3, 4]], [ints([3, 5])], [[2, 3, 4]]]],
    [-1, true, [[[3, 4]], [ints([2, 3, 4])]]],
    [0, false, [[[3, 4]], [ints([6, 2])]]],
  ];
  for (const [dim, keepdim, cases] of configs)
    for (const max of [true, false]) {
      const name = max ? "argmax" : "argmin";
      opTest(`${name}(dim=${dim}, keepdim=${keepdim})`, {
        fn: (x) => (max ? dl.argmax(x, dim, keepdim) : dl.argmin(x, dim, keepdim)),
        method: (x) => (max ? x.argmax(dim, keepdim) : x.argmin(dim, keepdim)),
        ref: (a) => argRef(a, dim, keepdim, max),
        cases,
        outDtype: "int32",
        grad: false,
      });
    }
  it("counts a NaN as the extreme, like PyTorch", () => {
    const t = dl.tensor([1, NaN, 3]);
    expect(dl.argmax(t).itemSync()).toBe(1);
    expect(dl.argmin(t).itemSync()).toBe(1);
    expect(Number.isNaN(dl.max(t).itemSync())).toBe(true);
  });
});

describe("reduction gradients at ties and zeros", () => {
  it("max/min share the gradient evenly among tied maxima", () => {
    const x = dl.tensor(
      [
        [1, 3, 3],
        [2, 0, -1],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    dl.max(x, 1).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([
      [0, 0.5, 0.5],
      [1, 0, 0],
    ]);
    const y = dl.tensor([2, -1, -1, 5], { dtype: "float32", requiresGrad: true });
    dl.min(y).backward();
    expect(y.grad!.toArraySync()).toEqual([0, 0.5, 0.5, 0]);
  });
  it("prod's gradient with one zero and with two zeros in a slice", () => {
    const x = dl.tensor(
      [
        [2, 0, 3],
        [0, 4, 0],
        [1, 2, 3],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    dl.prod(x, 1).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([
      [0, 6, 0],
      [0, 0, 0],
      [6, 3, 2],
    ]);
  });
});

describe("reduction dtypes", () => {
  it("sums bool and int32 to int32, and max keeps int32", () => {
    const b = dl.tensor([true, false, true]);
    expect(dl.sum(b).dtype).toBe("int32");
    expect(dl.sum(b).itemSync()).toBe(2);
    const i = dl.tensor([
      [1, 5],
      [7, 2],
    ]);
    expect(dl.sum(i, 0).toArraySync()).toEqual([8, 7]);
    expect(dl.max(i, 1).dtype).toBe("int32");
    expect(dl.max(i, 1).toArraySync()).toEqual([5, 7]);
    expect(dl.mean(i).dtype).toBe("float32");
    expect(dl.mean(i).itemSync()).toBe(3.75);
  });
});
