// Indexing ops: narrow/select/slice strings, indexSelect, gather, scatterAdd, pad, tril/triu,
// oneHot, against naive float64 loops, with gradients.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, at, build, normDim, ravel, unravel } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

/** Picks index lists per dim (a number selects and drops the dim). */
function take(a: Arr, perDim: (number[] | number)[]): Arr {
  const lists = a.shape.map((n, d) => perDim[d] ?? Array.from({ length: n }, (_, i) => i));
  const shape = lists.filter((l) => typeof l !== "number").map((l) => (l as number[]).length);
  return build(shape, (idx) => {
    let k = 0;
    return at(
      a,
      lists.map((l) => (typeof l === "number" ? l : l[idx[k++]])),
    );
  });
}

/** Python's range(start, stop, step) as a list. */
const range = (start: number, stop: number, step = 1) => {
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
};

describe("narrow, select, slice", () => {
  opTest("narrow", {
    fn: (x) => dl.narrow(x, 1, 1, 2),
    method: (x) => x.narrow(1, 1, 2),
    ref: (a) => take(a, [range(0, a.shape[0]), [1, 2]]),
    cases: [[[3, 4]], [[2, 5, 2]]],
  });
  opTest("narrow with negative dim and start", {
    fn: (x) => dl.narrow(x, -1, -3, 2),
    ref: (a) => take(a, [range(0, a.shape[0]), [1, 2]]),
    cases: [[[3, 4]]],
  });
  opTest("select", {
    fn: (x) => dl.select(x, 0, 2),
    method: (x) => x.select(0, 2),
    ref: (a) => take(a, [2]),
    cases: [[[3, 4]], [[4, 2, 3]], [[3]]],
  });
  opTest("select negative index and dim", {
    fn: (x) => dl.select(x, -1, -1),
    method: (x) => x.select(-1, -1),
    ref: (a) => take(a, [range(0, a.shape[0]), 3]),
    cases: [[[3, 4]]],
  });
  const slices: [string, number[], (number[] | number)[]][] = [
    ["0:2, :", [4, 5], [[0, 1]]],
    [
      "1:3, ::-2",
      [4, 5],
      [
        [1, 2],
        [4, 2, 0],
      ],
    ],
    ["-1", [4, 5], [3]],
    [":, -1", [4, 5], [range(0, 4), 4]],
    ["::2", [5, 3], [[0, 2, 4]]],
    ["..., 1", [2, 3, 4], [range(0, 2), range(0, 3), 1]],
    ["1, ..., ::-1", [2, 3, 4], [1, range(0, 3), [3, 2, 1, 0]]],
    ["-3:-1, 10:", [4, 5], [[1, 2], []]],
    [
      "3:0:-1, 1:100",
      [5, 3],
      [
        [3, 2, 1],
        [1, 2],
      ],
    ],
    ["", [2, 3], []],
  ];
  for (const [spec, shape, lists] of slices)
    opTest(`slice "${spec}"`, {
      fn: (x) => x.slice(spec),
      ref: (a) => take(a, lists),
      cases: [[shape]],
    });
  opTest('slice "None, :, 0" adds a dim', {
    fn: (x) => x.slice("None, :, 0"),
    ref: (a) => {
      const t = take(a, [range(0, a.shape[0]), 0]);
      return { shape: [1, ...t.shape], data: t.data };
    },
    cases: [[[3, 4]]],
  });
});

describe("indexSelect, gather, scatterAdd", () => {
  opTest("indexSelect", {
    fn: (x, i) => dl.indexSelect(x, 1, i),
    method: (x, i) => x.indexSelect(1, i),
    ref: (a, i) => take(a, [range(0, a.shape[0]), Array.from(i.data)]),
    // Repeated indices make the gradient accumulate.
    cases: [
      [[3, 4], idx([6], 4)],
      [[2, 5], idx([0], 5)],
    ],
  });
  opTest("indexSelect dim 0 of a 3-D tensor", {
    fn: (x, i) => dl.indexSelect(x, -3, i),
    ref: (a, i) => take(a, [Array.from(i.data)]),
    cases: [[[4, 2, 3], idx([5], 4)]],
  });
  const gatherRef = (a: Arr, dim: number, i: Arr) => {
    const d = normDim(dim, a.shape.length);
    return build(i.shape, (p) =>
      at(
        a,
        p.map((v, q) => (q === d ? at(i, p) : v)),
      ),
    );
  };
  for (const dim of [0, 1, -1])
    opTest(`gather dim ${dim}`, {
      fn: (x, i) => dl.gather(x, dim, i),
      method: (x, i) => x.gather(dim, i),
      ref: (a, i) => gatherRef(a, dim, i),
      cases: [
        [[3, 4], idx([3, 4], dim === 0 ? 3 : 4)],
        [[3, 4], idx(dim === 0 ? [5, 2] : [2, 6], dim === 0 ? 3 : 4)],
      ],
    });
  const scatterRef = (a: Arr, dim: number, i: Arr, s: Arr) => {
    const d = normDim(dim, a.shape.length);
    const out = { shape: a.shape, data: Float64Array.from(a.data) };
    for (let k = 0; k < i.data.length; k++) {
      const p = unravel(k, i.shape);
      const target = p.map((v, q) => (q === d ? i.data[k] : v));
      out.data[ravel(target, a.shape)] += at(s, p);
    }
    return out;
  };
  for (const dim of [0, -1])
    opTest(`scatterAdd dim ${dim}`, {
      fn: (x, i, s) => dl.scatterAdd(x, dim, i, s),
      method: (x, i, s) => x.scatterAdd(dim, i, s),
      ref: (a, i, s) => scatterRef(a, dim, i, s),
      cases: [
        [[3, 4], idx([3, 4], dim === 0 ? 3 : 4), [3, 4]],
        [[3, 4], idx([2, 3], dim === 0 ? 3 : 4), [2, 5]],
      ],
    });
});

describe("pad, tril, triu, oneHot", () => {
  /** torch.nn.functional.pad, constant mode: pairs from the last dim; negative pads crop. */
  const padRef = (a: Arr, pads: number[], value: number) => {
    const nd = a.shape.length;
    const before = new Array<number>(nd).fill(0);
    const after = new Array<number>(nd).fill(0);
    for (let k = 0; k < pads.length / 2; k++) {
      before[nd - 1 - k] = pads[2 * k];
      after[nd - 1 - k] = pads[2 * k + 1];
    }
    const shape = a.shape.map((n, d) => n + before[d] + after[d]);
    return build(shape, (p) => {
      const src = p.map((v, d) => v - before[d]);
      return src.every((v, d) => v >= 0 && v < a.shape[d]) ? at(a, src) : value;
    });
  };
  const pads: [number[], number, number[]][] = [
    [[1, 2], 0, [3, 4]],
    [[1, 0, 0, 2], 0, [3, 4]],
    [[2, 1, 1, 1], -1.5, [2, 3]],
    [[-1, 1], 0, [3, 4]],
    [[0, 0, -1, -1], 7, [3, 4]],
    [[1, 1, 1, 1, 1, 1], 0.5, [1, 2, 2]],
  ];
  for (const [p, value, shape] of pads)
    opTest(`pad ${JSON.stringify(p)} value ${value}`, {
      fn: (x) => dl.pad(x, p, value),
      ref: (a) => padRef(a, p, value),
      cases: [[shape]],
    });
  for (const k of [0, 1, -1]) {
    opTest(`tril k=${k}`, {
      fn: (x) => dl.tril(x, k),
      method: (x) => x.tril(k),
      ref: (a) => build(a.shape, (p) => (p[p.length - 1] - p[p.length - 2] <= k ? at(a, p) : 0)),
      cases: [[[4, 4]], [[3, 5]], [[2, 4, 3]]],
    });
    opTest(`triu k=${k}`, {
      fn: (x) => dl.triu(x, k),
      method: (x) => x.triu(k),
      ref: (a) => build(a.shape, (p) => (p[p.length - 1] - p[p.length - 2] >= k ? at(a, p) : 0)),
      cases: [[[4, 4]], [[5, 3]], [[2, 3, 4]]],
    });
  }
  opTest("oneHot", {
    fn: (i) => dl.oneHot(i, 5),
    ref: (i) => build([...i.shape, 5], (p) => Number(at(i, p.slice(0, -1)) === p[p.length - 1])),
    cases: [[idx([2, 3], 5)], [idx([4], 5)], [idx([], 5)]],
    outDtype: "int32",
    grad: false,
  });
  it("oneHot infers the class count from the largest index", () => {
    expect(dl.oneHot(dl.tensor([0, 2])).toArraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
  });
});

/** Random int32 indices in [0, high). */
function idx(shape: number[], high: number) {
  return { shape, dtype: "int32" as const, low: 0, high };
}
