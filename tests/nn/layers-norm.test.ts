// Normalisation: F.batchNorm / layerNorm / groupNorm against the published formula in float64
// (forward, and gradients by finite differences on it), BatchNorm's running statistics
// (momentum 0.1, unbiased variance, cumulative average), train vs eval, and state dicts
// with PyTorch's buffer names.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, arr, sizeOf } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const F = dl.nn.functional;
const EPS = 1e-5;

/**
 * Normalises groups of elements: `groupOf(i)` names the statistics group of flat element i,
 * `paramOf(i)` the index into weight/bias.
 */
function normRef(
  x: Arr,
  groupOf: (i: number) => number,
  paramOf: (i: number) => number,
  w: Arr | null,
  b: Arr | null,
): Arr {
  const sums = new Map<number, number[]>();
  x.data.forEach((v, i) => {
    const g = groupOf(i);
    if (!sums.has(g)) sums.set(g, []);
    sums.get(g)!.push(v);
  });
  const stats = new Map<number, [number, number]>();
  for (const [g, vals] of sums) {
    const m = vals.reduce((a, c) => a + c, 0) / vals.length;
    const v = vals.reduce((a, c) => a + (c - m) ** 2, 0) / vals.length;
    stats.set(g, [m, v]);
  }
  const out = x.data.map((v, i) => {
    const [m, variance] = stats.get(groupOf(i))!;
    const y = (v - m) / Math.sqrt(variance + EPS);
    const p = paramOf(i);
    return y * (w ? w.data[p] : 1) + (b ? b.data[p] : 0);
  });
  return arr(x.shape, out);
}

/** Index of dim `d` of flat element i in a row-major tensor of `shape`. */
const coord = (shape: readonly number[], i: number, d: number) =>
  Math.floor(i / sizeOf(shape.slice(d + 1))) % shape[d];

describe("F.batchNorm", () => {
  const channelOf = (x: Arr) => (i: number) => coord(x.shape, i, 1);
  opTest("batchNorm training (batch statistics) 4-D", {
    fn: (x, w, b) => F.batchNorm(x, null, null, { weight: w, bias: b, training: true }),
    ref: (x, w, b) => normRef(x, channelOf(x), channelOf(x), w, b),
    cases: [[[3, 2, 3, 2], [2], [2]]],
    gradAtol: 1e-3,
    gradRtol: 1e-2,
  });
  opTest("batchNorm training 2-D without affine", {
    fn: (x) => F.batchNorm(x, null, null, { training: true }),
    ref: (x) => normRef(x, channelOf(x), channelOf(x), null, null),
    cases: [[[5, 3]]],
    gradAtol: 1e-3,
    gradRtol: 1e-2,
  });
  opTest("batchNorm eval (running statistics)", {
    fn: (x, m, v, w, b) => F.batchNorm(x, m, v, { weight: w, bias: b }),
    ref: (x, m, v, w, b) =>
      arr(
        x.shape,
        x.data.map((val, i) => {
          const c = coord(x.shape, i, 1);
          return ((val - m.data[c]) / Math.sqrt(v.data[c] + EPS)) * w.data[c] + b.data[c];
        }),
      ),
    cases: [
      [
        [2, 3, 4],
        { shape: [3], grad: false },
        { shape: [3], low: 0.5, high: 2, grad: false },
        [3],
        [3],
      ],
    ],
  });

  it("updates running statistics with momentum and the unbiased variance", () => {
    const values = [1, 2, 4, 7, -1, 0, 3, 3, 5, 2, -2, 6];
    const x = dl.tensor(values, { shape: [3, 2, 2] });
    const rm = dl.tensor([0.5, -0.5]);
    const rv = dl.tensor([2, 1], { dtype: "float32" });
    F.batchNorm(x, rm, rv, { training: true, momentum: 0.2 });
    const perChannel = [0, 1].map((c) => values.filter((_, i) => Math.floor(i / 2) % 2 === c));
    const want = perChannel.map((vals, c) => {
      const m = vals.reduce((a, b) => a + b, 0) / vals.length;
      const unbiased = vals.reduce((a, b) => a + (b - m) ** 2, 0) / (vals.length - 1);
      return [0.8 * [0.5, -0.5][c] + 0.2 * m, 0.8 * [2, 1][c] + 0.2 * unbiased];
    });
    want.forEach(([m, v], c) => {
      expect(rm.dataSync()[c]).toBeCloseTo(m, 5);
      expect(rv.dataSync()[c]).toBeCloseTo(v, 5);
    });
  });

  it("fails clearly on misuse", () => {
    expect(() => F.batchNorm(dl.zeros([1, 3]), null, null, { training: true })).toThrow(
      /more than 1 value per channel/,
    );
    expect(() => F.batchNorm(dl.zeros([2, 3]), null, null)).toThrow(
      /running statistics are required/,
    );
    expect(() => F.batchNorm(dl.zeros([2, 3]), dl.zeros([4]), dl.ones([4]))).toThrow(
      /runningMean must be a 1-D float32 tensor of size 3 .* got float32\[4\]/,
    );
  });
});

describe("F.layerNorm and F.groupNorm", () => {
  opTest("layerNorm over the last two dims with affine", {
    fn: (x, w, b) => F.layerNorm(x, [3, 4], { weight: w, bias: b }),
    ref: (x, w, b) =>
      normRef(
        x,
        (i) => Math.floor(i / 12),
        (i) => i % 12,
        w,
        b,
      ),
    cases: [
      [
        [2, 3, 3, 4],
        [3, 4],
        [3, 4],
      ],
    ],
    gradAtol: 1e-3,
    gradRtol: 1e-2,
  });
  opTest("layerNorm over the last dim without affine", {
    fn: (x) => F.layerNorm(x, 5),
    ref: (x) =>
      normRef(
        x,
        (i) => Math.floor(i / 5),
        () => 0,
        null,
        null,
      ),
    cases: [[[4, 5]]],
    gradAtol: 1e-3,
    gradRtol: 1e-2,
  });
  opTest("groupNorm 3 groups of 2 channels", {
    fn: (x, w, b) => F.groupNorm(x, 3, { weight: w, bias: b }),
    ref: (x, w, b) =>
      normRef(
        x,
        (i) => coord(x.shape, i, 0) * 3 + Math.floor(coord(x.shape, i, 1) / 2),
        (i) => coord(x.shape, i, 1),
        w,
        b,
      ),
    cases: [[[2, 6, 2, 3], [6], [6]]],
    gradAtol: 1e-3,
    gradRtol: 1e-2,
  });
  it("checks shapes", () => {
    expect(() => F.layerNorm(dl.zeros([2, 3]), [4])).toThrow(
      /layerNorm: input \[2, 3\] does not end in/,
    );
    expect(() => F.groupNorm(dl.zeros([2, 6, 3]), 4)).toThrow(
      /numGroups=4 must divide the 6 channels/,
    );
  });
});

describe("BatchNorm layers", () => {
  it("have PyTorch's state-dict keys, dtypes and repr", () => {
    const bn = new dl.nn.BatchNorm2d(4);
    const sd = bn.stateDict();
    expect(Object.keys(sd).sort()).toEqual(
      ["bias", "num_batches_tracked", "running_mean", "running_var", "weight"].sort(),
    );
    expect(sd.num_batches_tracked.dtype).toBe("int32");
    expect(sd.num_batches_tracked.shape).toEqual([]);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(["weight", "bias"]);
    expect(Array.from(sd.running_var.dataSync())).toEqual([1, 1, 1, 1]);
    expect(Array.from(sd.weight.dataSync())).toEqual([1, 1, 1, 1]);
    expect(bn.toString()).toBe(
      "BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
    );
    const plain = new dl.nn.BatchNorm1d(3, {
      affine: false,
      trackRunningStats: false,
      momentum: null,
    });
    expect(Object.keys(plain.stateDict())).toEqual([]);
    expect(plain.toString()).toBe(
      "BatchNorm1d(3, eps=1e-05, momentum=None, affine=False, track_running_stats=False)",
    );
    const seq = new dl.nn.Sequential(new dl.nn.Conv2d(1, 2, 3), new dl.nn.BatchNorm2d(2));
    expect(Object.keys(seq.stateDict())).toContain("1.running_mean");
  });

  it("train mode normalises by the batch and tracks statistics; eval mode uses them", () => {
    dl.manualSeed(11);
    const bn = new dl.nn.BatchNorm2d(3);
    const batches = [dl.randn([4, 3, 2, 2]).mul(2).add(1), dl.randn([4, 3, 2, 2]).sub(3)];
    const mean = new Float64Array(3);
    const runVar = new Float64Array(3).fill(1);
    for (const x of batches) {
      const y = bn.forward(x);
      // In training the output is normalised per channel: mean 0, biased variance 1.
      expect(
        y
          .mean([0, 2, 3])
          .dataSync()
          .every((v) => Math.abs(v) < 1e-5),
      ).toBe(true);
      expect(
        y
          .var([0, 2, 3], false, { correction: 0 })
          .dataSync()
          .every((v) => Math.abs(v - 1) < 1e-3),
      ).toBe(true);
      const m = x.mean([0, 2, 3]).dataSync();
      const v = x.var([0, 2, 3]).dataSync(); // unbiased, n = 16
      for (let c = 0; c < 3; c++) {
        mean[c] = 0.9 * mean[c] + 0.1 * m[c];
        runVar[c] = 0.9 * runVar[c] + 0.1 * v[c];
      }
    }
    expect(bn.numBatchesTracked!.itemSync()).toBe(2);
    bn.runningMean!.dataSync().forEach((v, c) => expect(v).toBeCloseTo(mean[c], 5));
    bn.runningVar!.dataSync().forEach((v, c) => expect(v).toBeCloseTo(runVar[c], 5));

    bn.eval();
    const x = dl.randn([2, 3, 2, 2]);
    const y = bn.forward(x).dataSync();
    const xs = x.dataSync();
    xs.forEach((v, i) => {
      const c = Math.floor(i / 4) % 3;
      expect(y[i]).toBeCloseTo((v - mean[c]) / Math.sqrt(runVar[c] + EPS), 4);
    });
    expect(bn.numBatchesTracked!.itemSync()).toBe(2); // eval does not count
    expect(bn.runningMean!.requiresGrad).toBe(false);
  });

  it("momentum null keeps a cumulative average", () => {
    const bn = new dl.nn.BatchNorm1d(2, { momentum: null });
    bn.forward(
      dl.tensor([
        [1, 10],
        [3, 20],
      ]),
    );
    bn.forward(
      dl.tensor([
        [5, 0],
        [7, 0],
      ]),
    );
    expect(Array.from(bn.runningMean!.dataSync())).toEqual([4, 7.5]);
    // Unbiased variances: batch 1 (2, 50), batch 2 (2, 0) → means (2, 25).
    expect(Array.from(bn.runningVar!.dataSync())).toEqual([2, 25]);
  });

  it("without running statistics uses batch statistics in eval mode too", () => {
    const bn = new dl.nn.BatchNorm1d(2, { trackRunningStats: false }).eval();
    const y = bn.forward(
      dl.tensor([
        [1, 10],
        [3, 20],
      ]),
    );
    const s = 1 / Math.sqrt(1 + EPS);
    expect(y.dataSync()[0]).toBeCloseTo(-s, 5);
    expect(y.dataSync()[3]).toBeCloseTo(s, 5);
  });

  it("backpropagates into weight and bias and round-trips its state", () => {
    const bn = new dl.nn.BatchNorm1d(3);
    const x = dl.randn([6, 3, 5]);
    bn.forward(x)
      .mul(dl.randn([6, 3, 5]))
      .sum()
      .backward();
    expect(bn.weight!.grad!.shape).toEqual([3]);
    expect(bn.bias!.grad!.shape).toEqual([3]);
    const copy = new dl.nn.BatchNorm1d(3);
    copy.loadStateDict(bn.stateDict());
    expect(Array.from(copy.runningMean!.dataSync())).toEqual(
      Array.from(bn.runningMean!.dataSync()),
    );
    expect(copy.numBatchesTracked!.itemSync()).toBe(1);
    copy.resetRunningStats();
    expect(copy.numBatchesTracked!.itemSync()).toBe(0);
    expect(() => bn.forward(dl.zeros([2, 3, 4, 4]))).toThrow(/BatchNorm1d: expected a 2-D/);
    expect(() => new dl.nn.BatchNorm2d(3).forward(dl.zeros([2, 4, 2, 2]))).toThrow(
      /4 channels, expected 3/,
    );
  });
});

describe("LayerNorm and GroupNorm layers", () => {
  it("initialise to the identity affine, match the functional form, and print like PyTorch", () => {
    const ln = new dl.nn.LayerNorm([3, 4]);
    expect(ln.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["weight", [3, 4]],
      ["bias", [3, 4]],
    ]);
    expect(ln.toString()).toBe("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)");
    const x = dl.randn([2, 3, 4]);
    expect(Array.from(ln.forward(x).dataSync())).toEqual(
      Array.from(F.layerNorm(x, [3, 4]).dataSync()),
    );
    expect(new dl.nn.LayerNorm(8, { bias: false }).bias).toBeNull();
    expect(new dl.nn.LayerNorm(8, { elementwiseAffine: false }).parameters()).toEqual([]);
    const gn = new dl.nn.GroupNorm(2, 4);
    expect(gn.toString()).toBe("GroupNorm(2, 4, eps=1e-05, affine=True)");
    expect(gn.weight!.shape).toEqual([4]);
    const img = dl.randn([2, 4, 3, 3]);
    expect(Array.from(gn.forward(img).dataSync())).toEqual(
      Array.from(F.groupNorm(img, 2).dataSync()),
    );
    expect(() => new dl.nn.GroupNorm(3, 4)).toThrow(/divisible by numGroups=3/);
  });
});
