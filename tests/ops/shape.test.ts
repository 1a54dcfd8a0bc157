// Shape ops: reshape/view/flatten/unflatten/squeeze/unsqueeze/expand/repeat/cat/stack/split/
// chunk/flip/cast against naive float64 loops, with gradients through every one of them.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, arr, at, build, normDim } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const reshapeRef = (a: Arr, shape: number[]) => arr(shape, a.data);

/** Concatenation along `dim`, element by element. */
function catRef(xs: Arr[], dim: number): Arr {
  const d = normDim(dim, xs[0].shape.length);
  const shape = [...xs[0].shape];
  shape[d] = xs.reduce((n, x) => n + x.shape[d], 0);
  return build(shape, (idx) => {
    let i = idx[d];
    for (const x of xs) {
      if (i < x.shape[d])
        return at(
          x,
          idx.map((v, q) => (q === d ? i : v)),
        );
      i -= x.shape[d];
    }
    throw new Error("unreachable");
  });
}

/** Consecutive pieces of `sizes` along `dim`. */
function splitRef(a: Arr, sizes: number[], dim: number): Arr[] {
  const d = normDim(dim, a.shape.length);
  let start = 0;
  return sizes.map((n) => {
    const s = start;
    start += n;
    const shape = a.shape.map((v, q) => (q === d ? n : v));
    return build(shape, (idx) =>
      at(
        a,
        idx.map((v, q) => (q === d ? v + s : v)),
      ),
    );
  });
}

describe("reshape family", () => {
  opTest("reshape", {
    fn: (x) => dl.reshape(x, [4, -1]),
    method: (x) => x.reshape([4, -1]),
    ref: (a) => reshapeRef(a, [4, a.data.length / 4]),
    cases: [[[2, 3, 4]], [[4, 6]], [[0, 4]]],
  });
  opTest("reshape to and from a scalar", {
    fn: (x) => dl.reshape(dl.reshape(x, []), [1, 1]),
    ref: (a) => reshapeRef(a, [1, 1]),
    cases: [[[1]], [[]]],
  });
  opTest("view of a contiguous tensor", {
    fn: (x) => dl.view(x.contiguous(), [3, 2, 2]),
    method: (x) => x.contiguous().view([3, 2, 2]),
    ref: (a) => reshapeRef(a, [3, 2, 2]),
    cases: [[[2, 6]], [[12]]],
  });
  opTest("flatten", {
    fn: (x) => dl.flatten(x),
    method: (x) => x.flatten(),
    ref: (a) => reshapeRef(a, [a.data.length]),
    cases: [[[2, 3, 4]], [[]], [[0, 3]]],
  });
  opTest("flatten(1, -1)", {
    fn: (x) => dl.flatten(x, 1, -1),
    method: (x) => x.flatten(1, -1),
    ref: (a) => reshapeRef(a, [a.shape[0], 12]),
    cases: [[[2, 3, 4]]],
  });
  opTest("flatten(0, 1)", {
    fn: (x) => dl.flatten(x, 0, 1),
    ref: (a) => reshapeRef(a, [6, 4]),
    cases: [[[2, 3, 4]]],
  });
  opTest("unflatten", {
    fn: (x) => dl.unflatten(x, -1, [2, -1]),
    method: (x) => x.unflatten(-1, [2, -1]),
    ref: (a) => reshapeRef(a, [3, 2, 3]),
    cases: [[[3, 6]]],
  });
  opTest("squeeze all", {
    fn: (x) => dl.squeeze(x),
    method: (x) => x.squeeze(),
    ref: (a) =>
      reshapeRef(
        a,
        a.shape.filter((d) => d !== 1),
      ),
    cases: [[[1, 3, 1, 2]], [[1]], [[2, 3]]],
  });
  opTest("squeeze one dim (and a non-1 dim is left alone)", {
    fn: (x) => dl.squeeze(dl.squeeze(x, -2), 0),
    method: (x) => x.squeeze(-2).squeeze(0),
    ref: (a) => reshapeRef(a, [a.shape[0], 3, 2]),
    cases: [[[2, 3, 1, 2]]],
  });
  opTest("squeeze dim list", {
    fn: (x) => dl.squeeze(x, [0, 2]),
    ref: (a) => reshapeRef(a, [3, 2]),
    cases: [[[1, 3, 1, 2]]],
  });
  opTest("unsqueeze", {
    fn: (x) => dl.unsqueeze(dl.unsqueeze(x, 0), -1),
    method: (x) => x.unsqueeze(0).unsqueeze(-1),
    ref: (a) => reshapeRef(a, [1, ...a.shape, 1]),
    cases: [[[3, 4]], [[]], [[0]]],
  });
});

describe("expand and repeat", () => {
  const expandRef = (a: Arr, shape: number[]) =>
    build(shape, (idx) => {
      const lead = shape.length - a.shape.length;
      return at(
        a,
        a.shape.map((d, i) => (d === 1 ? 0 : idx[lead + i])),
      );
    });
  opTest("expand", {
    fn: (x) => dl.expand(x, [2, 3, -1]),
    method: (x) => x.expand([2, 3, -1]),
    ref: (a) => expandRef(a, [2, 3, a.shape[a.shape.length - 1]]),
    cases: [[[3, 4]], [[1, 4]], [[3, 1]], [[1]]],
  });
  opTest("expand a scalar", {
    fn: (x) => dl.expand(x, [2, 3]),
    ref: (a) => expandRef(a, [2, 3]),
    cases: [[[]]],
  });
  opTest("expandAs", {
    fn: (x, y) => x.expandAs(y),
    ref: (a, b) => expandRef(a, [...b.shape]),
    cases: [
      [
        [3, 1],
        [2, 3, 4],
      ],
    ],
  });
  const repeatRef = (a: Arr, reps: number[]) => {
    const lead = reps.length - a.shape.length;
    const shape = reps.map((r, i) => r * (i < lead ? 1 : a.shape[i - lead]));
    return build(shape, (idx) =>
      at(
        a,
        a.shape.map((d, i) => idx[lead + i] % d),
      ),
    );
  };
  opTest("repeat", {
    fn: (x) => dl.repeat(x, [2, 1, 3]),
    method: (x) => x.repeat([2, 1, 3]),
    ref: (a) => repeatRef(a, [2, 1, 3]),
    cases: [[[2, 3]], [[1, 2, 2]], [[]]],
  });
});

describe("cat, stack, split, chunk", () => {
  opTest("cat dim 0", {
    fn: (a, b, c) => dl.cat([a, b, c], 0),
    ref: (a, b, c) => catRef([a, b, c], 0),
    cases: [
      [
        [2, 3],
        [1, 3],
        [4, 3],
      ],
      [
        [2, 3],
        [0, 3],
        [1, 3],
      ],
    ],
  });
  opTest("cat dim -1", {
    fn: (a, b) => dl.cat([a, b], -1),
    ref: (a, b) => catRef([a, b], -1),
    cases: [
      [
        [2, 3, 1],
        [2, 3, 4],
      ],
    ],
  });
  opTest("cat of one tensor", {
    fn: (a) => dl.cat([a], 1),
    ref: (a) => catRef([a], 1),
    cases: [[[2, 3]]],
  });
  const stackRef = (xs: Arr[], dim: number) => {
    const d = normDim(dim, xs[0].shape.length + 1);
    const shape = [...xs[0].shape];
    shape.splice(d, 0, xs.length);
    return build(shape, (idx) =>
      at(
        xs[idx[d]],
        idx.filter((_, q) => q !== d),
      ),
    );
  };
  for (const dim of [0, 1, -1])
    opTest(`stack dim ${dim}`, {
      fn: (a, b, c) => dl.stack([a, b, c], dim),
      ref: (a, b, c) => stackRef([a, b, c], dim),
      cases: [
        [
          [2, 3],
          [2, 3],
          [2, 3],
        ],
      ],
    });
  opTest("stack scalars", {
    fn: (a, b) => dl.stack([a, b]),
    ref: (a, b) => stackRef([a, b], 0),
    cases: [[[], []]],
  });
  opTest("split by size (last piece smaller)", {
    fn: (x) => dl.split(x, 2, 1),
    method: (x) => x.split(2, 1),
    ref: (a) => splitRef(a, [2, 2, 1], 1),
    cases: [[[3, 5]]],
  });
  opTest("split by sections, negative dim", {
    fn: (x) => dl.split(x, [1, 0, 3], -1),
    method: (x) => x.split([1, 0, 3], -1),
    ref: (a) => splitRef(a, [1, 0, 3], -1),
    cases: [[[2, 4]]],
  });
  opTest("split default dim 0", {
    fn: (x) => dl.split(x, 3),
    ref: (a) => splitRef(a, [3, 1], 0),
    cases: [[[4, 2]]],
  });
  opTest("chunk", {
    fn: (x) => dl.chunk(x, 3, 0),
    method: (x) => x.chunk(3, 0),
    ref: (a) => splitRef(a, [3, 3, 1], 0),
    cases: [[[7, 2]]],
  });
  opTest("chunk into fewer pieces than asked (like PyTorch)", {
    fn: (x) => dl.chunk(x, 4, 1),
    ref: (a) => splitRef(a, [2, 2, 2], 1),
    cases: [[[2, 6]]],
  });
  it("chunk(6 into 4) gives 3 pieces of 2, as torch.chunk", () => {
    expect(dl.chunk(dl.zeros([6]), 4).map((t) => t.shape[0])).toEqual([2, 2, 2]);
    expect(dl.chunk(dl.zeros([5]), 2).map((t) => t.shape[0])).toEqual([3, 2]);
  });
});

describe("flip and cast", () => {
  const flipRef = (a: Arr, dims: number[]) => {
    const ds = dims.map((d) => normDim(d, a.shape.length));
    return build(a.shape, (idx) =>
      at(
        a,
        idx.map((v, q) => (ds.includes(q) ? a.shape[q] - 1 - v : v)),
      ),
    );
  };
  opTest("flip one dim", {
    fn: (x) => dl.flip(x, -1),
    method: (x) => x.flip(-1),
    ref: (a) => flipRef(a, [-1]),
    cases: [[[3, 4]], [[5]], [[0, 2]]],
  });
  opTest("flip two dims", {
    fn: (x) => dl.flip(x, [0, 2]),
    method: (x) => x.flip([0, 2]),
    ref: (a) => flipRef(a, [0, 2]),
    cases: [[[2, 3, 4]]],
  });
  opTest("cast float to int truncates toward zero", {
    fn: (x) => dl.cast(x, "int32"),
    method: (x) => x.int(),
    ref: (a) => build(a.shape, (idx) => Math.trunc(at(a, idx))),
    cases: [[[3, 4]], [[]]],
    low: -5,
    high: 5,
    outDtype: "int32",
    grad: false,
  });
  opTest("cast to bool", {
    fn: (x) => dl.cast(x, "bool"),
    method: (x) => x.bool(),
    ref: (a) => build(a.shape, (idx) => Number(at(a, idx) !== 0)),
    cases: [[{ shape: [5], values: [0, 1, -0.5, 0, 3] }]],
    outDtype: "bool",
    grad: false,
  });
  opTest("cast int to float", {
    fn: (x) => dl.cast(x, "float32"),
    method: (x) => x.float(),
    ref: (a) => a,
    cases: [[{ shape: [2, 3], dtype: "int32", low: -100, high: 100 }]],
  });
});
