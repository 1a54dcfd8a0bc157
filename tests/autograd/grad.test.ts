// dl.grad, dl.gradcheck, second derivatives with createGraph, and gradients through long
// chains of views, indexing and joins (checked against finite differences of float64 loops).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, arr, at, build, permute, reduce, zip } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const f32 = (v: number[]) => dl.tensor(v, { dtype: "float32" });

describe("dl.grad", () => {
  it("returns gradients without touching .grad", () => {
    const x = f32([1, 2, 3]).requiresGrad_();
    const [g] = dl.grad((t) => dl.mul(t, t).sum(), [x]);
    expect(g.toArraySync()).toEqual([2, 4, 6]);
    expect(x.grad).toBeNull();
  });
  it("works on inputs that do not require grad, and gives zeros to unused inputs", () => {
    const a = f32([1, 2]);
    const b = f32([5, 6]);
    const [ga, gb] = dl.grad((p) => dl.exp(p).sum(), [a, b]);
    expect(ga.toArraySync()).toEqual(Array.from(dl.exp(a).dataSync()));
    expect(gb.toArraySync()).toEqual([0, 0]);
    expect(a.requiresGrad).toBe(false);
  });
  it("several inputs", () => {
    const [ga, gb] = dl.grad((p, q) => dl.mul(p, q).sum(), [f32([1, 2]), f32([3, 4])]);
    expect(ga.toArraySync()).toEqual([3, 4]);
    expect(gb.toArraySync()).toEqual([1, 2]);
  });
});

describe("createGraph: second derivatives", () => {
  it("d²/dx² x³ = 6x through dl.grad", () => {
    const x = f32([1, -2, 0.5]);
    const d2 = dl.grad(
      (t) => dl.grad((u) => dl.pow(u, 3).sum(), [t], { createGraph: true })[0].sum(),
      [x],
    )[0];
    expect(d2.toArraySync()).toEqual([6, -12, 3]);
  });
  it("d²/dx² tanh matches -2 tanh (1 - tanh²)", () => {
    const values = [-1.2, 0.3, 0.9];
    const d2 = dl
      .grad(
        (t) => dl.grad((u) => dl.tanh(u).sum(), [t], { createGraph: true })[0].sum(),
        [f32(values)],
      )[0]
      .dataSync();
    values.forEach((v, i) => {
      const th = Math.tanh(Math.fround(v));
      expect(d2[i]).toBeCloseTo(-2 * th * (1 - th * th), 5);
    });
  });
  it("leakyRelu's gradient stays differentiable under createGraph", () => {
    // d/dx leakyRelu(x)·x = leakyRelu'(x)·x + leakyRelu(x), and its derivative 2·leakyRelu'(x).
    const x = f32([1.5, -2, 0.25, -0.5]);
    const slope = 0.2;
    const [d1] = dl.grad((u) => dl.leakyRelu(u, slope).mul(u).sum(), [x.requiresGrad_()], {
      createGraph: true,
    });
    expect(d1.requiresGrad).toBe(true);
    expect(Array.from(d1.dataSync())).toEqual(
      [1.5, -2, 0.25, -0.5].map((v) => Math.fround((v > 0 ? 1 : slope) * v * 2)),
    );
    const [d2] = dl.grad(() => d1.sum(), [x]);
    expect(Array.from(d2.dataSync())).toEqual([2, 2 * slope, 2, 2 * slope].map(Math.fround));
  });
  it("backward({ createGraph }) leaves a differentiable .grad", () => {
    const x = f32([2, 3]).requiresGrad_();
    dl.mul(dl.mul(x, x), x).sum().backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.toArraySync()).toEqual([12, 27]);
    expect(g.requiresGrad).toBe(true);
    const [h] = dl.grad(() => g.sum(), [x]);
    expect(h.toArraySync()).toEqual([12, 18]);
  });
  it("mixed second derivative d²(x·y²)/dx dy = 2y", () => {
    const y = f32([1.5, -1]).requiresGrad_();
    const x = f32([0.3, 0.7]).requiresGrad_();
    const [gx] = dl.grad((a) => dl.mul(a, dl.mul(y, y)).sum(), [x], { createGraph: true });
    gx.sum().backward();
    expect(y.grad!.toArraySync()).toEqual([3, -2]);
  });
});

describe("dl.gradcheck", () => {
  it("passes for correct gradients", () => {
    const x = dl.randn([3, 4]);
    const w = dl.randn([4, 2]);
    expect(dl.gradcheck((a, b) => dl.tanh(dl.matmul(a, b)), [x, w])).toBe(true);
    expect(dl.gradcheck((a) => dl.softmax(a, -1), [x], { atol: 1e-3 })).toBe(true);
  });
  it("throws naming the input and element when a gradient is wrong", () => {
    const x = f32([0.5, 1.5]);
    expect(() => dl.gradcheck((a) => dl.mul(a.detach(), a), [x])).toThrow(
      /gradcheck.*input 0.*index 0.*analytic 0\.5, numeric (1|0\.99)/,
    );
  });
});

/** A long chain through views and joins, written again as float64 loops. */
function chainRef(a: Arr, b: Arr): Arr {
  // a: [3, 4], b: [4, 2]
  const t = permute(a, [1, 0]); // [4, 3]
  const sliced = build([4, 2], ([i, j]) => at(t, [i, 2 - j])); // t[:, ::-1][:, :2]
  const joined = build([4, 4], ([i, j]) => (j < 2 ? at(sliced, [i, j]) : at(b, [i, j - 2])));
  const padded = build([4, 6], ([i, j]) => (j >= 1 && j < 5 ? at(joined, [i, j - 1]) : 0));
  const lower = build([4, 6], ([i, j]) => (j - i <= 1 ? at(padded, [i, j]) : 0));
  const squashed = zip((v, w) => (v > 0 ? Math.tanh(v) : v * w), lower, padded);
  const stacked = build([2, 4, 6], ([k, i, j]) => at(squashed, [i, j]) * (k === 0 ? 1 : -0.5));
  return reduce(arr([2, 24], stacked.data), 1, false, (v) => v.reduce((s, x) => s + x * x, 0));
}

describe("gradients through composed views, joins and indexing", () => {
  opTest("transpose, flip, slice, cat, pad, tril, where, stack, reshape, sum", {
    fn: (a, b) => {
      const sliced = a.T.flip(1).narrow(1, 0, 2);
      const joined = dl.cat([sliced, b], 1);
      const padded = dl.pad(joined, [1, 1]);
      const lower = dl.tril(padded, 1);
      const squashed = dl.where(dl.gt(lower, 0), dl.tanh(lower), dl.mul(lower, padded));
      const stacked = dl.stack([squashed, dl.mul(squashed, -0.5)]);
      return dl.square(stacked.reshape([2, -1])).sum(1);
    },
    ref: chainRef,
    cases: [
      [
        [3, 4],
        [4, 2],
      ],
    ],
  });
  opTest("split, chunk, einsum, gather, max, logsumexp", {
    fn: (x) => {
      const [p, q] = dl.split(x, [2, 2], 1);
      const [r] = dl.chunk(x, 2, 0);
      const e = dl.einsum("ij,kj->ik", p, q); // [4, 4]
      const idx = dl.tensor([
        [0, 3],
        [1, 1],
        [2, 0],
        [3, 2],
      ]);
      return dl.add(dl.max(dl.gather(e, 1, idx), 1), dl.logsumexp(r, 0).sum());
    },
    ref: (x) => {
      const e = build(
        [4, 4],
        ([i, k]) => at(x, [i, 0]) * at(x, [k, 2]) + at(x, [i, 1]) * at(x, [k, 3]),
      );
      const idx = [
        [0, 3],
        [1, 1],
        [2, 0],
        [3, 2],
      ];
      const r = build([2, 4], ([i, j]) => at(x, [i, j]));
      const lse = reduce(r, 0, false, (v) => Math.log(v.reduce((s, z) => s + Math.exp(z), 0)));
      const extra = lse.data.reduce((s, v) => s + v, 0);
      return build([4], ([i]) => Math.max(...idx[i].map((j) => at(e, [i, j]))) + extra);
    },
    cases: [[[4, 4]]],
  });
});
