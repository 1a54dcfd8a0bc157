// dl.distributions.Categorical and Normal against values recorded from PyTorch 1.13
// (torch.distributions, printed by /usr/bin/python3), gradients against float64 finite
// differences, sample statistics under a seed, and the errors PyTorch raises.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { assertClose } from "../helpers/check-op.js";

const flat = (t: dl.Tensor) => Array.from(t.dataSync());

/** Central differences of a float64 function at x. */
function numericGrad(f: (x: number[]) => number, x: number[], eps = 1e-6): number[] {
  return x.map((_, i) => {
    const up = [...x];
    const down = [...x];
    up[i] += eps;
    down[i] -= eps;
    return (f(up) - f(down)) / (2 * eps);
  });
}

describe("Categorical", () => {
  it("logProb and entropy from logits match PyTorch", () => {
    const c = new dl.distributions.Categorical({
      logits: dl
        .tensor([
          [1, 2, -0.5],
          [0, 0, 3],
        ])
        .float(),
    });
    expect([c.batchShape, c.numEvents]).toEqual([[2], 3]);
    // torch: Categorical(logits=...).log_prob(tensor([2, 0])), .entropy()
    assertClose(
      flat(c.logProb(dl.tensor([2, 0]))),
      [-2.8715391159, -3.0949230194],
      1e-5,
      1e-5,
      "logProb",
    );
    assertClose(flat(c.entropy()), [0.766784668, 0.366594017], 1e-5, 1e-5, "entropy");
    assertClose(flat(c.probs.sum(-1)), [1, 1], 1e-6, 0, "probs");
  });

  it("from probs: normalises, and zero-probability categories add no entropy", () => {
    const c = new dl.distributions.Categorical({ probs: dl.tensor([0.2, 0.0, 0.6]) });
    // torch: probs [0.25, 0, 0.75], log_prob([0, 2]) = [-1.3863, -0.2877], entropy 0.56234
    assertClose(flat(c.probs), [0.25, 0, 0.75], 1e-7, 0, "probs");
    assertClose(
      flat(c.logProb(dl.tensor([0, 2]))),
      [-1.3862943649, -0.2876820862],
      1e-6,
      1e-6,
      "logProb",
    );
    assertClose(flat(c.entropy()), [0.5623351336], 1e-6, 1e-6, "entropy");
  });

  it("logProb's gradient in the logits is the float64 finite difference", () => {
    const raw = [0.3, -1.2, 2.0, 0.5];
    const logits = dl.tensor(raw, { requiresGrad: true });
    const actions = [2, 0, 3];
    const weights = [0.7, -1.1, 0.4];
    const c = new dl.distributions.Categorical({ logits });
    c.logProb(dl.tensor(actions)).mul(dl.tensor(weights)).sum().backward();
    const ref = (x: number[]) => {
      const m = Math.max(...x);
      const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
      return actions.reduce((s, a, i) => s + weights[i] * (x[a] - lse), 0);
    };
    assertClose(flat(logits.grad!), numericGrad(ref, raw), 1e-5, 1e-4, "d logProb / d logits");
    // and the entropy's gradient
    const l2 = dl.tensor(raw, { requiresGrad: true });
    new dl.distributions.Categorical({ logits: l2 }).entropy().backward();
    const entropyRef = (x: number[]) => {
      const m = Math.max(...x);
      const z = x.reduce((s, v) => s + Math.exp(v - m), 0);
      return -x.reduce((s, v) => s + (Math.exp(v - m) / z) * (v - m - Math.log(z)), 0);
    };
    assertClose(flat(l2.grad!), numericGrad(entropyRef, raw), 1e-5, 1e-4, "d entropy / d logits");
  });

  it("samples have shape sampleShape + batchShape and the right frequencies", () => {
    dl.manualSeed(3);
    const c = new dl.distributions.Categorical({
      probs: dl.tensor([
        [0.1, 0.9, 0],
        [0.5, 0.25, 0.25],
      ]),
    });
    const s = c.sample([3000]);
    expect([s.shape, s.dtype]).toEqual([[3000, 2], "int32"]);
    const rows = s.toArraySync() as number[][];
    const freq = (col: number, k: number) => rows.filter((r) => r[col] === k).length / 3000;
    expect(Math.abs(freq(0, 1) - 0.9)).toBeLessThan(0.02);
    expect(freq(0, 2)).toBe(0);
    expect(Math.abs(freq(1, 0) - 0.5)).toBeLessThan(0.03);
    expect(c.sample().shape).toEqual([2]);
    expect(c.sample([2, 5]).shape).toEqual([2, 5, 2]);
  });

  it("rejects bad parameters and values", () => {
    const C = dl.distributions.Categorical;
    expect(() => new C({} as never)).toThrow(/Categorical.*exactly one/);
    expect(() => new C({ probs: dl.tensor(0.5) })).toThrow(/Categorical.*last dim/);
    expect(() => new C({ probs: dl.tensor([1, 2]) })).toThrow(/Categorical.*float32/);
    const c = new C({ logits: dl.zeros([2, 3]) });
    expect(() => c.logProb(dl.tensor([0.5]))).toThrow(/logProb.*int32/);
    expect(() => c.logProb(dl.tensor([0, 1, 2]))).toThrow(dl.DendriteError);
  });
});

describe("Normal", () => {
  const loc = [0.5, -1.0];
  const scale = [2.0, 0.3];

  it("logProb and entropy match PyTorch, broadcasting over a sample dim", () => {
    const n = new dl.distributions.Normal(dl.tensor(loc), dl.tensor(scale));
    const x = dl.tensor([
      [1.3, -1.2],
      [0.0, 2.0],
    ]);
    const want = [-1.6920857429, 0.0628119707, -1.6433357, -49.714962005];
    assertClose(flat(n.logProb(x)), want, 1e-5, 1e-6, "logProb");
    assertClose(flat(n.entropy()), [2.1120858192, 0.2149657011], 1e-6, 1e-6, "entropy");
    assertClose(flat(n.variance), [4, 0.09], 1e-6, 1e-6, "variance");
  });

  it("rsample is reparameterised: gradients reach loc and scale", () => {
    dl.manualSeed(9);
    const l = dl.tensor(loc, { requiresGrad: true });
    const s = dl.tensor(scale, { requiresGrad: true });
    const n = new dl.distributions.Normal(l, s);
    const draw = n.rsample([4]);
    expect(draw.shape).toEqual([4, 2]);
    draw.sum().backward();
    const eps = (draw.toArraySync() as number[][]).map((r) =>
      r.map((v, j) => (v - loc[j]) / scale[j]),
    );
    assertClose(flat(l.grad!), [4, 4], 1e-6, 0, "d/d loc");
    assertClose(
      flat(s.grad!),
      [0, 1].map((j) => eps.reduce((t, r) => t + r[j], 0)),
      1e-5,
      1e-5,
      "d/d scale",
    );
    expect(n.sample([3]).requiresGrad).toBe(false);
  });

  it("logProb's gradient in loc and scale is the float64 finite difference", () => {
    const l = dl.tensor([0.2], { requiresGrad: true });
    const s = dl.tensor([1.5], { requiresGrad: true });
    const x = [0.7, -2.0, 1.1];
    new dl.distributions.Normal(l, s).logProb(dl.tensor(x)).sum().backward();
    const ref = ([m, sd]: number[]) =>
      x.reduce(
        (t, v) => t - (v - m) ** 2 / (2 * sd * sd) - Math.log(sd) - 0.5 * Math.log(2 * Math.PI),
        0,
      );
    const g = numericGrad(ref, [0.2, 1.5]);
    assertClose([...flat(l.grad!), ...flat(s.grad!)], g, 1e-5, 1e-4, "d logProb");
  });

  it("samples have the right mean and spread under a seed, and are reproducible", () => {
    dl.manualSeed(4);
    const n = new dl.distributions.Normal(3, 0.5);
    const a = n.sample([20000]);
    const v = flat(a);
    const mean = v.reduce((t, x) => t + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((t, x) => t + (x - mean) ** 2, 0) / v.length);
    expect(Math.abs(mean - 3)).toBeLessThan(0.02);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.02);
    dl.manualSeed(4);
    expect(flat(n.sample([20000]))).toEqual(v);
  });

  it("rejects a non-positive scale and mismatched shapes", () => {
    expect(() => new dl.distributions.Normal(0, 0)).toThrow(/Normal.*scale must be positive/);
    expect(() => new dl.distributions.Normal(dl.zeros([2]), dl.ones([3]))).toThrow(
      dl.DendriteError,
    );
  });
});
