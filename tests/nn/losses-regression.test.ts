// MSE, L1, Huber, smooth L1, BCE and BCE-with-logits against float64 formulas, every
// reduction, with gradients by finite differences; module and functional forms agree.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  REDUCTIONS,
  checkLoss,
  float,
  outShapeOf,
  reduceRef,
  uniform,
  type Vec,
} from "./losses-ref.js";

const F = dl.nn.functional;
const SHAPE = [3, 4];
const N = 12;
const x = uniform(1, N, -2, 2);
const y = uniform(2, N, -2, 2);

const pointwise = (f: (a: number, b: number) => number) => (a: Vec, b: Vec) =>
  a.map((v, i) => f(v, b[i]));

const huber = (delta: number) => (a: number, b: number) => {
  const d = Math.abs(a - b);
  return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
};
const smoothL1 = (beta: number) => (a: number, b: number) => {
  const d = Math.abs(a - b);
  return beta > 0 && d < beta ? (0.5 * d * d) / beta : d - 0.5 * beta;
};

describe("elementwise regression losses", () => {
  const cases = [
    { name: "mseLoss", fn: F.mseLoss, ref: (a: number, b: number) => (a - b) ** 2 },
    { name: "l1Loss", fn: F.l1Loss, ref: (a: number, b: number) => Math.abs(a - b) },
    { name: "huberLoss", fn: F.huberLoss, ref: huber(1) },
    { name: "smoothL1Loss", fn: F.smoothL1Loss, ref: smoothL1(1) },
  ] as const;
  for (const c of cases)
    for (const reduction of REDUCTIONS)
      it(`${c.name} reduction=${reduction}`, () =>
        checkLoss({
          name: c.name,
          inputs: [float(SHAPE, x), float(SHAPE, y)],
          fn: (a, b) => c.fn(a, b, { reduction }),
          ref: (a, b) => reduceRef(pointwise(c.ref)(a, b), reduction),
          outShape: outShapeOf(SHAPE, reduction),
        }));

  it("huberLoss and smoothL1Loss honour delta and beta (both branches taken)", () => {
    for (const [delta, beta] of [
      [0.5, 0.5],
      [2.5, 2.5],
      [1.3, 0],
    ]) {
      checkLoss({
        name: `huber delta=${delta}`,
        inputs: [float(SHAPE, x), float(SHAPE, y)],
        fn: (a, b) => F.huberLoss(a, b, { delta, reduction: "none" }),
        ref: pointwise(huber(delta)),
        outShape: SHAPE,
      });
      checkLoss({
        name: `smoothL1 beta=${beta}`,
        inputs: [float(SHAPE, x), float(SHAPE, y)],
        fn: (a, b) => F.smoothL1Loss(a, b, { beta, reduction: "none" }),
        ref: pointwise(smoothL1(beta)),
        outShape: SHAPE,
      });
    }
  });

  it("modules match the functional forms", () => {
    const a = dl.tensor(Float32Array.from(x), { shape: SHAPE });
    const b = dl.tensor(Float32Array.from(y), { shape: SHAPE });
    const pairs: [dl.nn.Loss, dl.Tensor][] = [
      [new dl.nn.MSELoss(), F.mseLoss(a, b)],
      [new dl.nn.L1Loss({ reduction: "sum" }), F.l1Loss(a, b, { reduction: "sum" })],
      [new dl.nn.HuberLoss(0.7), F.huberLoss(a, b, { delta: 0.7 })],
      [
        new dl.nn.HuberLoss({ delta: 2, reduction: "none" }),
        F.huberLoss(a, b, { delta: 2, reduction: "none" }),
      ],
      [new dl.nn.SmoothL1Loss(0.3), F.smoothL1Loss(a, b, { beta: 0.3 })],
    ];
    for (const [m, want] of pairs)
      expect(m.forward(a, b).toArraySync()).toEqual(want.toArraySync());
    expect(String(new dl.nn.HuberLoss(0.7))).toContain("delta=0.7");
  });

  it("rejects mismatched shapes and unknown reductions with the loss named", () => {
    const a = dl.zeros([4, 1]);
    const b = dl.zeros([4]);
    expect(() => F.mseLoss(a, b)).toThrow(
      /mseLoss: target shape \[4\] must match the input shape \[4, 1\]/,
    );
    expect(() => F.l1Loss(b, b, { reduction: "avg" as never })).toThrow(
      /l1Loss: reduction must be one of/,
    );
    expect(() => new dl.nn.MSELoss({ reduction: "batchmean" as never })).toThrow(
      /MSELoss: reduction/,
    );
    expect(() => F.huberLoss(b, b, { delta: 0 })).toThrow(/delta must be positive/);
  });
});

describe("binary cross-entropy", () => {
  const p = uniform(3, N, 0.02, 0.98);
  const t = uniform(4, N, 0, 1);
  const w = uniform(5, 4, 0.2, 2);
  const bce = (a: number, b: number) =>
    -(b * Math.max(Math.log(a), -100) + (1 - b) * Math.max(Math.log(1 - a), -100));
  const softplus = (v: number) => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);

  for (const reduction of REDUCTIONS) {
    it(`binaryCrossEntropy with a broadcast weight, reduction=${reduction}`, () =>
      checkLoss({
        name: "bce",
        inputs: [float(SHAPE, p), float(SHAPE, t), float([4], w, false)],
        fn: (a, b, wt) => F.binaryCrossEntropy(a, b, { weight: wt, reduction }),
        ref: (a, b) =>
          reduceRef(
            a.map((v, i) => w[i % 4] * bce(v, b[i])),
            reduction,
          ),
        outShape: outShapeOf(SHAPE, reduction),
      }));

    it(`binaryCrossEntropyWithLogits with weight and posWeight, reduction=${reduction}`, () => {
      const pw = [0.5, 1, 2, 3];
      checkLoss({
        name: "bceWithLogits",
        inputs: [
          float(
            SHAPE,
            x.map((v) => v * 3),
          ),
          float(SHAPE, t),
          float([4], w, false),
          float([4], pw, false),
        ],
        fn: (a, b, wt, pwt) =>
          F.binaryCrossEntropyWithLogits(a, b, { weight: wt, posWeight: pwt, reduction }),
        ref: (a, b) =>
          reduceRef(
            a.map((v, i) => {
              const s = 1 / (1 + Math.exp(-v));
              return -w[i % 4] * (pw[i % 4] * b[i] * Math.log(s) + (1 - b[i]) * Math.log(1 - s));
            }),
            reduction,
          ),
        outShape: outShapeOf(SHAPE, reduction),
      });
    });
  }

  it("the logit form stays finite where sigmoid saturates", () => {
    const logits = dl.tensor([[-200, 200, 30]], { dtype: "float32" });
    const target = dl.tensor([[1, 0, 1]], { dtype: "float32" });
    const got = F.binaryCrossEntropyWithLogits(logits, target, { reduction: "none" }).dataSync();
    const want = [200, 200, softplus(-30)];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it("BCELoss clamps log(0) at -100, and refuses probabilities outside [0, 1]", () => {
    const loss = new dl.nn.BCELoss({ reduction: "none" });
    expect([
      ...loss
        .forward(dl.tensor([0, 1], { dtype: "float32" }), dl.tensor([1, 0], { dtype: "float32" }))
        .dataSync(),
    ]).toEqual([100, 100]);
    expect(() => loss.forward(dl.tensor([1.5]), dl.tensor([1.0], { dtype: "float32" }))).toThrow(
      /binaryCrossEntropy: every input element must lie in \[0, 1\], found 1.5/,
    );
  });

  it("BCEWithLogitsLoss keeps its weights as buffers in the state dict", () => {
    const m = new dl.nn.BCEWithLogitsLoss({ posWeight: dl.tensor([2, 3], { dtype: "float32" }) });
    expect(Object.keys(m.stateDict())).toEqual(["posWeight"]);
    const a = dl.tensor([[0.3, -1]]);
    const b = dl.tensor([[1, 1]], { dtype: "float32" });
    expect(m.forward(a, b).itemSync()).toBeCloseTo((2 * softplus(-0.3) + 3 * softplus(1)) / 2, 6);
  });
});
