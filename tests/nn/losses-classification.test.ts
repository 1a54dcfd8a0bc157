// Cross-entropy and NLL against float64 formulas: class-index targets (with class weights,
// ignoreIndex and label smoothing, in the smoothed-distribution form −Σ_c w_c·q_c·log p_c),
// probability targets, extra spatial dims and unbatched inputs; gradients by finite differences.
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
  uniform,
  type Vec,
} from "./losses-ref.js";

const F = dl.nn.functional;
const N = 6;
const C = 4;
const logits = uniform(11, N * C, -3, 3);
const classWeight = uniform(12, C, 0.3, 2);
// Targets include the default ignoreIndex (−100) and a repeated class.
const targets = [2, 0, -100, 3, 3, 1];

interface RefOpts {
  weight?: Vec;
  ignore?: number;
  eps?: number;
  reduction: "mean" | "sum" | "none";
}

/** Row-major [N, C] log-probabilities; targets per row; PyTorch's weighted mean. */
function classIndexRef(logp: Vec, y: Vec, rows: number, cols: number, o: RefOpts): Vec {
  const w = o.weight ?? new Array(cols).fill(1);
  const eps = o.eps ?? 0;
  const losses: Vec = [];
  let denom = 0;
  for (let n = 0; n < rows; n++) {
    if (y[n] === (o.ignore ?? -100)) {
      losses.push(0);
      continue;
    }
    let l = 0;
    for (let c = 0; c < cols; c++) {
      const q = (1 - eps) * (c === y[n] ? 1 : 0) + eps / cols;
      l -= w[c] * q * logp[n * cols + c];
    }
    losses.push(l);
    denom += w[y[n]];
  }
  if (o.reduction === "none") return losses;
  const total = losses.reduce((a, b) => a + b, 0);
  return [o.reduction === "sum" ? total : total / denom];
}

describe("crossEntropy with class-index targets", () => {
  for (const reduction of REDUCTIONS)
    for (const weighted of [false, true])
      for (const eps of [0, 0.2])
        it(`reduction=${reduction} weight=${weighted} labelSmoothing=${eps}`, () =>
          checkLoss({
            name: "crossEntropy",
            inputs: [float([N, C], logits), int([N], targets), float([C], classWeight, false)],
            fn: (x, y, w) =>
              F.crossEntropy(x, y, { weight: weighted ? w : null, labelSmoothing: eps, reduction }),
            ref: (x, y) =>
              classIndexRef(logSoftmaxRows(x, N, C), y, N, C, {
                weight: weighted ? classWeight : undefined,
                eps,
                reduction,
              }),
            outShape: outShapeOf([N], reduction),
          }));

  it("a custom ignoreIndex inside the class range drops those targets", () =>
    checkLoss({
      name: "crossEntropy ignoreIndex=3",
      inputs: [float([N, C], logits), int([N], [2, 0, 1, 3, 3, 1])],
      fn: (x, y) => F.crossEntropy(x, y, { ignoreIndex: 3, labelSmoothing: 0.1 }),
      ref: (x, y) =>
        classIndexRef(logSoftmaxRows(x, N, C), y, N, C, { ignore: 3, eps: 0.1, reduction: "mean" }),
      outShape: [],
    }));

  it("extra spatial dims: input [N, C, L], target [N, L]", () => {
    const L = 3;
    const x3 = uniform(13, 2 * C * L, -2, 2);
    const y3 = ints(14, 2 * L, 0, C);
    // Move the class dim last so the [rows, C] reference applies.
    const toRows = (x: Vec): Vec => {
      const out: Vec = [];
      for (let n = 0; n < 2; n++)
        for (let l = 0; l < L; l++) for (let c = 0; c < C; c++) out.push(x[(n * C + c) * L + l]);
      return out;
    };
    for (const reduction of REDUCTIONS)
      checkLoss({
        name: `crossEntropy [N, C, L] ${reduction}`,
        inputs: [float([2, C, L], x3), int([2, L], y3), float([C], classWeight, false)],
        fn: (x, y, w) => F.crossEntropy(x, y, { weight: w, labelSmoothing: 0.05, reduction }),
        ref: (x, y) =>
          classIndexRef(logSoftmaxRows(toRows(x), 2 * L, C), y, 2 * L, C, {
            weight: classWeight,
            eps: 0.05,
            reduction,
          }),
        outShape: outShapeOf([2, L], reduction),
      });
  });

  it("unbatched: input [C] with a 0-d target", () => {
    for (const reduction of REDUCTIONS)
      checkLoss({
        name: `crossEntropy unbatched ${reduction}`,
        inputs: [float([C], logits.slice(0, C)), int([], [1])],
        fn: (x, y) => F.crossEntropy(x, y, { reduction }),
        ref: (x, y) => classIndexRef(logSoftmaxRows(x, 1, C), y, 1, C, { reduction }),
        outShape: [],
      });
  });

  it("a mean over only ignored targets is NaN, as in PyTorch", () => {
    const x = dl.randn([2, 3]);
    const y = dl.tensor([-100, -100]);
    expect(F.crossEntropy(x, y).itemSync()).toBeNaN();
    expect(F.crossEntropy(x, y, { reduction: "sum" }).itemSync()).toBe(0);
  });

  it("names out-of-range classes and mismatched shapes", () => {
    const x = dl.randn([2, 3]);
    expect(() => F.crossEntropy(x, dl.tensor([0, 3]))).toThrow(
      /crossEntropy: target class 3 is out of range for 3 classes/,
    );
    expect(() => F.crossEntropy(x, dl.tensor([0, 1, 2]))).toThrow(
      /class-index target \[3\] does not fit input \[2, 3\]: expected target shape \[2\]/,
    );
    expect(() => F.crossEntropy(x, dl.rand([2]))).toThrow(
      /float target holds class probabilities and must match the input shape \[2, 3\]/,
    );
    expect(() => F.crossEntropy(x, dl.tensor([0, 1]), { weight: dl.ones([2]) })).toThrow(
      /weight must be a 1-D float tensor with 3 entries/,
    );
    expect(() => F.crossEntropy(x, dl.tensor([0, 1]), { labelSmoothing: 1.5 })).toThrow(
      /labelSmoothing must lie in \[0, 1\]/,
    );
  });
});

describe("crossEntropy with probability targets", () => {
  const soft = uniform(15, N * C, 0.05, 1);
  for (let n = 0; n < N; n++) {
    const s = soft.slice(n * C, n * C + C).reduce((a, b) => a + b, 0);
    for (let c = 0; c < C; c++) soft[n * C + c] = Math.fround(soft[n * C + c] / s);
  }
  const probRef = (x: Vec, t: Vec, o: RefOpts): Vec => {
    const logp = logSoftmaxRows(x, N, C);
    const w = o.weight ?? new Array(C).fill(1);
    const eps = o.eps ?? 0;
    const losses = Array.from({ length: N }, (_, n) => {
      let l = 0;
      for (let c = 0; c < C; c++)
        l -= w[c] * ((1 - eps) * t[n * C + c] + eps / C) * logp[n * C + c];
      return l;
    });
    if (o.reduction === "none") return losses;
    const total = losses.reduce((a, b) => a + b, 0);
    return [o.reduction === "sum" ? total : total / N];
  };
  for (const reduction of REDUCTIONS)
    it(`weighted, smoothed, reduction=${reduction} (the target gets a gradient too)`, () =>
      checkLoss({
        name: "crossEntropy probabilities",
        inputs: [float([N, C], logits), float([N, C], soft), float([C], classWeight, false)],
        fn: (x, t, w) => F.crossEntropy(x, t, { weight: w, labelSmoothing: 0.1, reduction }),
        ref: (x, t) => probRef(x, t, { weight: classWeight, eps: 0.1, reduction }),
        outShape: outShapeOf([N], reduction),
      }));

  it("one-hot probability targets give the class-index loss", () => {
    const x = dl.tensor(Float32Array.from(logits), { shape: [N, C] });
    const y = dl.tensor([2, 0, 1, 3, 3, 1]);
    const hot = dl.oneHot(y, C).float();
    expect(F.crossEntropy(x, hot).itemSync()).toBeCloseTo(F.crossEntropy(x, y).itemSync(), 6);
  });
});

describe("nllLoss", () => {
  const logp = uniform(16, N * C, -4, 0);
  for (const reduction of REDUCTIONS)
    for (const weighted of [false, true])
      it(`reduction=${reduction} weight=${weighted} with ignored targets`, () =>
        checkLoss({
          name: "nllLoss",
          inputs: [float([N, C], logp), int([N], targets), float([C], classWeight, false)],
          fn: (x, y, w) => F.nllLoss(x, y, { weight: weighted ? w : null, reduction }),
          ref: (x, y) =>
            classIndexRef(x, y, N, C, { weight: weighted ? classWeight : undefined, reduction }),
          outShape: outShapeOf([N], reduction),
        }));

  it("NLLLoss(LogSoftmax(x)) equals CrossEntropyLoss(x); modules keep weights as buffers", () => {
    const x = dl.tensor(Float32Array.from(logits), { shape: [N, C] });
    const y = dl.tensor(Int32Array.from([2, 0, 1, 3, 3, 1]), { shape: [N] });
    const w = dl.tensor(Float32Array.from(classWeight));
    const ce = new dl.nn.CrossEntropyLoss({ weight: w, ignoreIndex: 1 });
    const nll = new dl.nn.NLLLoss({ weight: w, ignoreIndex: 1 });
    expect(nll.forward(dl.logSoftmax(x, 1), y).itemSync()).toBeCloseTo(
      ce.forward(x, y).itemSync(),
      6,
    );
    expect(Object.keys(ce.stateDict())).toEqual(["weight"]);
    expect(String(ce)).toContain("ignore_index=1");
    expect(() => F.nllLoss(x, y.float())).toThrow(
      /nllLoss: class-index targets must be an int32 tensor/,
    );
  });
});
