// KL divergence, hinge embedding, multi-margin and cosine embedding losses against float64
// formulas in every reduction, with gradients by finite differences.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  REDUCTIONS,
  checkLoss,
  float,
  int,
  ints,
  logSoftmaxRows,
  outShapeOf,
  reduceRef,
  uniform,
  type Vec,
} from "./losses-ref.js";

const F = dl.nn.functional;

describe("klDiv", () => {
  const N = 3;
  const C = 4;
  const input = logSoftmaxRows(uniform(21, N * C), N, C).map(Math.fround);
  // Some zero probabilities: 0·log 0 counts as 0.
  const target = uniform(22, N * C, 0, 1).map((v, i) => (i % 5 === 0 ? 0 : v));
  const pointwise = (x: Vec, t: Vec) =>
    x.map((v, i) => (t[i] > 0 ? t[i] * (Math.log(t[i]) - v) : 0));
  const reductions = [...REDUCTIONS, "batchmean"] as const;
  for (const reduction of reductions) {
    it(`reduction=${reduction}`, () =>
      checkLoss({
        name: "klDiv",
        // The target's derivative is undefined at its zeros: checked below on positive targets.
        inputs: [float([N, C], input), float([N, C], target, false)],
        fn: (x, t) => F.klDiv(x, t, { reduction }),
        ref: (x, t) => {
          const l = pointwise(x, t);
          if (reduction !== "batchmean") return reduceRef(l, reduction);
          return [l.reduce((a, b) => a + b, 0) / N];
        },
        outShape: outShapeOf([N, C], reduction),
      }));
    it(`logTarget, reduction=${reduction}`, () =>
      checkLoss({
        name: "klDiv logTarget",
        inputs: [float([N, C], input), float([N, C], uniform(23, N * C, -3, 0))],
        fn: (x, t) => F.klDiv(x, t, { reduction, logTarget: true }),
        ref: (x, t) => {
          const l = x.map((v, i) => Math.exp(t[i]) * (t[i] - v));
          if (reduction !== "batchmean") return reduceRef(l, reduction);
          return [l.reduce((a, b) => a + b, 0) / N];
        },
        outShape: outShapeOf([N, C], reduction),
      }));
  }

  it("gradient with respect to a positive target", () =>
    checkLoss({
      name: "klDiv target grad",
      inputs: [float([N, C], input), float([N, C], uniform(24, N * C, 0.1, 1))],
      fn: (x, t) => F.klDiv(x, t, { reduction: "sum" }),
      ref: (x, t) => [pointwise(x, t).reduce((a, b) => a + b, 0)],
      outShape: [],
    }));

  it("the target's zero entries leave finite gradients; KLDivLoss forwards its options", () => {
    const t = dl.tensor([0, 0.5, 0.5], { requiresGrad: true });
    const x = dl.tensor([-1, -0.5, -2], { requiresGrad: true });
    new dl.nn.KLDivLoss({ reduction: "batchmean" }).forward(x, t).backward();
    for (const g of [...t.grad!.dataSync(), ...x.grad!.dataSync()])
      expect(Number.isFinite(g)).toBe(true);
    expect(new dl.nn.KLDivLoss({ reduction: "batchmean" }).reduction).toBe("batchmean");
    expect(() => F.mseLoss(x, t, { reduction: "batchmean" as never })).toThrow(/reduction/);
  });
});

describe("hingeEmbeddingLoss", () => {
  const x = uniform(31, 8, -2, 2);
  const y = [1, -1, 1, -1, -1, 1, 1, -1];
  for (const reduction of REDUCTIONS)
    for (const margin of [1, 0.5])
      it(`margin=${margin} reduction=${reduction}`, () =>
        checkLoss({
          name: "hingeEmbeddingLoss",
          inputs: [float([2, 4], x), float([2, 4], y, false)],
          fn: (a, b) => F.hingeEmbeddingLoss(a, b, { margin, reduction }),
          ref: (a, b) =>
            reduceRef(
              a.map((v, i) => (b[i] === 1 ? v : Math.max(0, margin - v))),
              reduction,
            ),
          outShape: outShapeOf([2, 4], reduction),
        }));
  it("the module form, and a label other than ±1 gets both terms (PyTorch's masks)", () => {
    const input = dl.tensor([0.3, -0.4, 2], { dtype: "float32" });
    const target = dl.tensor([1, -1, 0], { dtype: "float32" });
    const m = new dl.nn.HingeEmbeddingLoss({ margin: 0.5, reduction: "none" });
    const want = [0.3, 0.9, 2 + 0];
    m.forward(input, target)
      .dataSync()
      .forEach((v, i) => expect(v).toBeCloseTo(want[i], 6));
  });
});

describe("multiMarginLoss", () => {
  const N = 5;
  const C = 4;
  const x = uniform(41, N * C, -1, 1);
  const y = ints(42, N, 0, C);
  const w = uniform(43, C, 0.5, 2);
  const ref = (a: Vec, t: Vec, p: number, margin: number, weight: Vec | null, rows = N): Vec =>
    Array.from({ length: rows }, (_, n) => {
      let l = 0;
      for (let i = 0; i < C; i++) {
        if (i === t[n]) continue;
        const h = Math.max(0, margin - a[n * C + t[n]] + a[n * C + i]) ** p;
        l += (weight ? weight[t[n]] : 1) * h;
      }
      return l / C;
    });
  for (const reduction of REDUCTIONS)
    for (const [p, margin, weighted] of [
      [1, 1, false],
      [2, 0.5, true],
    ] as const)
      it(`p=${p} margin=${margin} weight=${weighted} reduction=${reduction}`, () =>
        checkLoss({
          name: "multiMarginLoss",
          inputs: [float([N, C], x), int([N], y), float([C], w, false)],
          fn: (a, t, wt) =>
            F.multiMarginLoss(a, t, { p, margin, weight: weighted ? wt : null, reduction }),
          ref: (a, t) => reduceRef(ref(a, t, p, margin, weighted ? w : null), reduction),
          outShape: outShapeOf([N], reduction),
        }));

  it("unbatched input [C] and the module form", () => {
    checkLoss({
      name: "multiMarginLoss unbatched",
      inputs: [float([C], x.slice(0, C)), int([], [2])],
      fn: (a, t) => new dl.nn.MultiMarginLoss({ reduction: "none" }).forward(a, t),
      ref: (a, t) => ref(a, t, 1, 1, null, 1),
      outShape: [],
    });
    expect(() => F.multiMarginLoss(dl.zeros([2, 3]), dl.tensor([0, 1]), { p: 3 })).toThrow(
      /p must be 1 or 2/,
    );
  });
});

describe("cosineEmbeddingLoss", () => {
  const N = 4;
  const D = 3;
  const a = uniform(51, N * D);
  const b = uniform(52, N * D);
  const y = [1, -1, -1, 1];
  const ref = (u: Vec, v: Vec, t: Vec, margin: number, rows = N): Vec =>
    Array.from({ length: rows }, (_, n) => {
      let dot = 0;
      let uu = 0;
      let vv = 0;
      for (let d = 0; d < D; d++) {
        dot += u[n * D + d] * v[n * D + d];
        uu += u[n * D + d] ** 2;
        vv += v[n * D + d] ** 2;
      }
      const cos = dot / Math.sqrt(uu * vv);
      return t[n] === 1 ? 1 - cos : Math.max(0, cos - margin);
    });
  for (const reduction of REDUCTIONS)
    for (const margin of [0, -0.5])
      it(`margin=${margin} reduction=${reduction}`, () =>
        checkLoss({
          name: "cosineEmbeddingLoss",
          inputs: [float([N, D], a), float([N, D], b), int([N], y)],
          fn: (u, v, t) => F.cosineEmbeddingLoss(u, v, t, { margin, reduction }),
          ref: (u, v, t) => reduceRef(ref(u, v, t, margin), reduction),
          outShape: outShapeOf([N], reduction),
        }));

  it("1-D inputs with a 0-d target, and the module form", () => {
    checkLoss({
      name: "cosineEmbeddingLoss unbatched",
      inputs: [float([D], a.slice(0, D)), float([D], b.slice(0, D)), int([], [-1])],
      fn: (u, v, t) => new dl.nn.CosineEmbeddingLoss({ margin: -1 }).forward(u, v, t),
      ref: (u, v, t) => ref(u, v, t, -1, 1),
      outShape: [],
    });
    expect(() => F.cosineEmbeddingLoss(dl.zeros([2, 3]), dl.zeros([2, 3]), dl.zeros([3]))).toThrow(
      /target \[3\] does not match the batch of \[2, 3\]/,
    );
  });
});
