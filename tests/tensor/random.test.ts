// dl.manualSeed makes every random draw reproducible; the draws have the documented
// distributions (checked with sample moments at tolerances of several standard errors).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { counterUniform } from "../../src/tensor/random.js";

const draws = () => [
  Array.from(dl.rand([7]).dataSync()),
  Array.from(dl.randn([2, 3]).dataSync()),
  Array.from(dl.randint(-3, 9, [11]).dataSync()),
  Array.from(dl.rand([3]).dataSync()),
];

describe("manualSeed", () => {
  it("replays the same draws after the same seed", () => {
    dl.manualSeed(1234);
    const a = draws();
    dl.manualSeed(1234);
    const b = draws();
    expect(b).toEqual(a);
  });
  it("gives different draws for different seeds, and successive draws differ", () => {
    dl.manualSeed(1);
    const a = draws();
    dl.manualSeed(2);
    const b = draws();
    expect(b[0]).not.toEqual(a[0]);
    expect(b[1]).not.toEqual(a[1]);
    expect(a[3]).not.toEqual(a[0].slice(0, 3));
  });
  it("accepts large and fractional seeds deterministically", () => {
    dl.manualSeed(2 ** 40 + 5);
    const a = Array.from(dl.rand([4]).dataSync());
    dl.manualSeed(2 ** 40 + 5);
    expect(Array.from(dl.rand([4]).dataSync())).toEqual(a);
    dl.manualSeed(5);
    expect(Array.from(dl.rand([4]).dataSync())).not.toEqual(a);
  });
  it("is not affected by ops that draw nothing", () => {
    dl.manualSeed(9);
    const a = Array.from(dl.rand([5]).dataSync());
    dl.manualSeed(9);
    dl.matmul(dl.ones([3, 3]), dl.ones([3, 3])).sum();
    expect(Array.from(dl.rand([5]).dataSync())).toEqual(a);
  });
});

describe("distributions", () => {
  const N = 20000;
  const moments = (v: ArrayLike<number>) => {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < v.length; i++) {
      s += v[i];
      s2 += v[i] * v[i];
    }
    const mean = s / v.length;
    return { mean, variance: s2 / v.length - mean * mean };
  };
  it("rand is uniform on [0, 1)", () => {
    dl.manualSeed(7);
    const v = dl.rand([N]).dataSync();
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    const m = moments(v);
    // Standard error of the mean: sqrt(1/12 / N) ~ 0.002.
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(0.004);
  });
  it("randn is standard normal", () => {
    dl.manualSeed(8);
    const v = dl.randn([N, 1]).dataSync();
    const m = moments(v);
    expect(Math.abs(m.mean)).toBeLessThan(0.03);
    expect(Math.abs(m.variance - 1)).toBeLessThan(0.05);
    // About 68.3% within one standard deviation.
    const within = Array.from(v).filter((x) => Math.abs(x) < 1).length / N;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.015);
  });
  it("randint covers [low, high) and nothing else, int32", () => {
    dl.manualSeed(9);
    const t = dl.randint(-2, 3, [5000]);
    expect(t.dtype).toBe("int32");
    const counts = new Map<number, number>();
    for (const x of t.dataSync()) counts.set(x, (counts.get(x) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });
  it("randperm is a permutation of 0..n-1, each position uniform, seeded by its generator", () => {
    const p = dl.randperm(10, { generator: new dl.Generator(3) });
    expect(p.dtype).toBe("int32");
    expect([...p.dataSync()].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const again = dl.randperm(10, { generator: new dl.Generator(3) }).dataSync();
    expect([...again]).toEqual([...p.dataSync()]);
    expect([...dl.randperm(10, { generator: new dl.Generator(4) }).dataSync()]).not.toEqual([
      ...again,
    ]);
    // Over 3,000 draws of n = 3, each of the 6 orders appears about 500 times.
    dl.manualSeed(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const k = [...dl.randperm(3).dataSync()].join("");
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 500)).toBeLessThan(90);
    expect(dl.randperm(0).shape).toEqual([0]);
    expect(dl.randperm(4, { dtype: "float32" }).dtype).toBe("float32");
    expect(() => dl.randperm(2.5)).toThrow(/randperm/);
    expect(() => dl.randperm(-1)).toThrow(/randperm.*n must be/);
  });
  it("randint draws from its own generator when given one", () => {
    const a = dl.randint(0, 100, [8], { generator: new dl.Generator(1) }).dataSync();
    dl.manualSeed(77);
    const b = dl.randint(0, 100, [8], { generator: new dl.Generator(1) }).dataSync();
    expect([...a]).toEqual([...b]);
  });
  it("rand, randn and randint make tensors of the asked shape", () => {
    expect(dl.rand([2, 0, 3]).shape).toEqual([2, 0, 3]);
    expect(dl.randn([]).shape).toEqual([]);
    expect(dl.randint(0, 2, [3, 1]).shape).toEqual([3, 1]);
    expect(dl.randn([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });
});

describe("the counter-based generator (device-side draws: dropout masks)", () => {
  const key = [0x12345678, 0x9abcdef0] as const;
  // Wellons' lowbias32 written independently with BigInt arithmetic, as the reference.
  const mix = (x: bigint) => {
    const m = (a: bigint, b: bigint) => (a * b) & 0xffffffffn;
    x ^= x >> 16n;
    x = m(x, 0x7feb352dn);
    x ^= x >> 15n;
    x = m(x, 0x846ca68bn);
    return x ^ (x >> 16n);
  };
  const reference = (i: number) =>
    Number(mix(mix((BigInt(i) + BigInt(key[0])) & 0xffffffffn) ^ BigInt(key[1])) >> 8n) / 2 ** 24;

  it("element i is the keyed hash of i, matching an independent BigInt reference", () => {
    for (const i of [0, 1, 2, 1000, 2 ** 31 - 1, 2 ** 32 - 1])
      expect(counterUniform(key, i)).toBe(reference(i));
  });

  it("is uniform on [0, 1): moments, a 16-bin chi-square and no lag-1 correlation", () => {
    const n = 1 << 16;
    const u = Array.from({ length: n }, (_, i) => counterUniform(key, i));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const mean = u.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    const bins = new Array(16).fill(0);
    for (const v of u) bins[Math.floor(v * 16)]++;
    const chi2 = bins.reduce((s, c) => s + (c - n / 16) ** 2 / (n / 16), 0);
    expect(chi2).toBeLessThan(37.7); // 15 degrees of freedom, p = 0.001
    let cov = 0;
    for (let i = 1; i < n; i++) cov += (u[i] - mean) * (u[i - 1] - mean);
    expect(Math.abs(cov / (n - 1) / (1 / 12))).toBeLessThan(5 / Math.sqrt(n));
  });

  it("dropout masks follow manualSeed, differ per call, and drop about p of the elements", () => {
    const x = dl.ones([4096]);
    dl.manualSeed(7);
    const a = dl.nn.functional.dropout(x, 0.25).dataSync();
    const b = dl.nn.functional.dropout(x, 0.25).dataSync();
    dl.manualSeed(7);
    expect(dl.nn.functional.dropout(x, 0.25).dataSync()).toEqual(a);
    expect(b).not.toEqual(a);
    const dropped = a.filter((v) => v === 0).length / a.length;
    expect(Math.abs(dropped - 0.25)).toBeLessThan(5 * Math.sqrt((0.25 * 0.75) / a.length));
    expect(new Set(a.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.75)]));
  });
});
