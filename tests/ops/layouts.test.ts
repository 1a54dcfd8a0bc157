// Kernels fed unusual layouts: stride-0 (expanded), negative-stride (flipped) and offset views
// as operands of elementwise ops, reductions, matmul, gather and cat.
import { describe } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, at, build, reduce, zip } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const expandRef = (a: Arr, shape: number[]) =>
  build(shape, (idx) =>
    at(
      a,
      a.shape.map((d, i) => (d === 1 ? 0 : idx[shape.length - a.shape.length + i])),
    ),
  );
const flipRef = (a: Arr, d: number) =>
  build(a.shape, (idx) =>
    at(
      a,
      idx.map((v, q) => (q === d ? a.shape[q] - 1 - v : v)),
    ),
  );

function matmulRef(a: Arr, b: Arr): Arr {
  const [m, k] = a.shape;
  const n = b.shape[1];
  return build([m, n], ([i, j]) => {
    let s = 0;
    for (let t = 0; t < k; t++) s += at(a, [i, t]) * at(b, [t, j]);
    return s;
  });
}

describe("unusual layouts", () => {
  opTest("sum over an expanded view", {
    fn: (x) => x.expand([3, 4]).sum(0),
    ref: (a) => reduce(expandRef(a, [3, 4]), 0, false, (v) => v.reduce((s, y) => s + y, 0)),
    cases: [[[1, 4]]],
  });
  opTest("max over a flipped view", {
    fn: (x) => x.flip(1).max(1, true),
    ref: (a) => reduce(flipRef(a, 1), 1, true, (v) => Math.max(...v)),
    cases: [[[3, 5]]],
  });
  opTest("elementwise of a flipped and an expanded operand", {
    fn: (x, y) => dl.mul(x.flip(0), y.expand([4, 3])),
    ref: (a, b) => zip((p, q) => p * q, flipRef(a, 0), expandRef(b, [4, 3])),
    cases: [
      [
        [4, 3],
        [1, 3],
      ],
    ],
  });
  opTest("matmul of an expanded and a flipped operand", {
    fn: (x, y) => dl.matmul(x.expand([3, 4]), y.flip(0)),
    ref: (a, b) => matmulRef(expandRef(a, [3, 4]), flipRef(b, 0)),
    cases: [
      [
        [1, 4],
        [4, 2],
      ],
    ],
  });
  opTest("batched matmul with a broadcast batch dim", {
    fn: (x, y) => dl.matmul(x, y.unsqueeze(0).expand([2, 3, 2])),
    ref: (a, b) => {
      const out = [0, 1].map((i) =>
        matmulRef(
          build([4, 3], ([r, c]) => at(a, [i, r, c])),
          b,
        ),
      );
      return { shape: [2, 4, 2], data: Float64Array.from([...out[0].data, ...out[1].data]) };
    },
    cases: [
      [
        [2, 4, 3],
        [3, 2],
      ],
    ],
  });
  opTest("gather from a transposed view", {
    fn: (x, i) => dl.gather(x.T, 1, i),
    ref: (a, i) => build(i.shape, ([r, c]) => at(a, [at(i, [r, c]), r])),
    cases: [[[3, 4], { shape: [4, 2], dtype: "int32", low: 0, high: 3 }]],
  });
  opTest("cat of a flipped and a sliced operand", {
    fn: (x, y) => dl.cat([x.flip(1), y.slice(":, 1:")], 1),
    ref: (a, b) => build([2, 5], ([r, c]) => (c < 3 ? at(a, [r, 2 - c]) : at(b, [r, c - 3 + 1]))),
    cases: [
      [
        [2, 3],
        [2, 3],
      ],
    ],
  });
});
