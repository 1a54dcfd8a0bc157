// multinomial and bernoulli: reproducible under a seed and under a generator of their own,
// frequencies matching the probabilities (exact formulas for the draws without replacement),
// the same samples on every device for one seed, and PyTorch's errors.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { DEVICES, gpuAvailable } from "../helpers/devices.js";

const counts = (values: ArrayLike<number>, n: number) => {
  const c = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) c[values[i]]++;
  return c;
};

describe("multinomial", () => {
  it("with replacement: frequencies match the weights, rows independent, zero weights never drawn", () => {
    dl.manualSeed(1);
    const w = dl.tensor(
      [
        [1, 0, 3, 6],
        [0, 0, 0, 2],
      ],
      { dtype: "float32" },
    );
    const s = dl.multinomial(w, 20000, { replacement: true });
    expect([s.shape, s.dtype]).toEqual([[2, 20000], "int32"]);
    const rows = s.toArraySync() as number[][];
    const freq = counts(rows[0], 4).map((c) => c / 20000);
    [0.1, 0, 0.3, 0.6].forEach((p, k) => expect(Math.abs(freq[k] - p)).toBeLessThan(0.012));
    expect(counts(rows[1], 4)).toEqual([0, 0, 0, 20000]);
  });

  it("without replacement: distinct draws with the exact first- and second-draw laws", () => {
    dl.manualSeed(2);
    const p = [0.5, 0.3, 0.2];
    const trials = 6000;
    const probs = dl.tensor(p).unsqueeze(0).expand([trials, 3]);
    const rows = dl.multinomial(probs, 2).toArraySync() as number[][];
    expect(rows.every(([a, b]) => a !== b)).toBe(true);
    const first = counts(
      rows.map((r) => r[0]),
      3,
    );
    const second = counts(
      rows.map((r) => r[1]),
      3,
    );
    // P(second = k) = sum over j != k of p_j · p_k / (1 - p_j).
    const secondLaw = p.map((pk, k) =>
      p.reduce((s, pj, j) => (j === k ? s : s + (pj * pk) / (1 - pj)), 0),
    );
    p.forEach((pk, k) => expect(Math.abs(first[k] / trials - pk)).toBeLessThan(0.02));
    secondLaw.forEach((q, k) => expect(Math.abs(second[k] / trials - q)).toBeLessThan(0.02));
    const all = dl.multinomial(dl.tensor([0.1, 0.2, 0.3, 0.4]), 4).toArraySync() as number[];
    expect([...all].sort()).toEqual([0, 1, 2, 3]);
  });

  it("is reproducible under manualSeed and under its own generator", () => {
    const w = dl.tensor([0.2, 0.5, 0.3]);
    dl.manualSeed(7);
    const a = dl.multinomial(w, 50, { replacement: true }).toArraySync();
    dl.manualSeed(7);
    const b = dl.multinomial(w, 50, { replacement: true }).toArraySync();
    expect(a).toEqual(b);
    const g1 = new dl.Generator(3);
    const c = dl.multinomial(w, 50, { replacement: true, generator: g1 }).toArraySync();
    dl.rand([100]); // draws from the default stream do not disturb the generator's
    const d = w.multinomial(50, { replacement: true, generator: g1.manualSeed(3) });
    expect(d.toArraySync()).toEqual(c);
    // The distributions take a generator too, and bernoulli has its method form.
    const n = new dl.distributions.Normal(0, 1);
    const e1 = n.sample([5], { generator: new dl.Generator(8) }).toArraySync();
    dl.randn([10]);
    expect(n.sample([5], { generator: new dl.Generator(8) }).toArraySync()).toEqual(e1);
    dl.manualSeed(12);
    const b1 = dl.bernoulli(dl.full([6], 0.5)).toArraySync();
    dl.manualSeed(12);
    expect(dl.full([6], 0.5).bernoulli().toArraySync()).toEqual(b1);
  });

  it.skipIf(!gpuAvailable)("draws the same samples on WebGPU as on the CPU", async () => {
    const w = dl.tensor([
      [0.1, 0.4, 0.2, 0.3],
      [1, 1, 0, 5],
    ]);
    for (const replacement of [true, false]) {
      dl.manualSeed(11);
      const cpu = dl.multinomial(w, 3, { replacement }).toArraySync();
      dl.manualSeed(11);
      const gpu = dl.multinomial(w.to("webgpu"), 3, { replacement });
      expect(gpu.device).toBe("webgpu");
      expect(await gpu.toArray()).toEqual(cpu);
    }
  });

  it("rejects what torch.multinomial rejects, naming the op", () => {
    const ok = dl.tensor([0.5, 0.5]);
    expect(() => dl.multinomial(dl.tensor([0.5, -0.1]), 1)).toThrow(/multinomial.*element < 0/);
    expect(() => dl.multinomial(dl.zeros([2]), 1)).toThrow(/multinomial.*sums to zero/);
    expect(() => dl.multinomial(ok, 3)).toThrow(/multinomial.*without replacement/);
    expect(() => dl.multinomial(dl.tensor([0.5, 0]), 2)).toThrow(/only 1 categories/);
    expect(() => dl.multinomial(dl.ones([2, 2, 2]), 1)).toThrow(/1-D or 2-D/);
    expect(() => dl.multinomial(dl.tensor([1, 2]), 1)).toThrow(/must be float32/);
    expect(() => dl.multinomial(ok, 0)).toThrow(dl.DendriteError);
    expect(() => dl.multinomial(ok, 1.5)).toThrow(/numSamples must be an integer/);
  });
});

describe("bernoulli", () => {
  it.each(DEVICES.filter((d) => d.available))(
    "draws 0/1 at rate p on $device",
    async ({ device }) => {
      dl.manualSeed(5);
      const p = dl.tensor([0, 0.25, 0.9, 1]).unsqueeze(0).expand([4000, 4]).contiguous();
      const s = dl.bernoulli(p.to(device));
      expect([s.dtype, s.device]).toEqual(["float32", device]);
      const v = (await s.toArray()) as number[][];
      const rate = [0, 1, 2, 3].map((k) => v.reduce((n, r) => n + r[k], 0) / 4000);
      expect(v.flat().every((x) => x === 0 || x === 1)).toBe(true);
      expect(rate[0]).toBe(0);
      expect(rate[3]).toBe(1);
      expect(Math.abs(rate[1] - 0.25)).toBeLessThan(0.02);
      expect(Math.abs(rate[2] - 0.9)).toBeLessThan(0.02);
    },
  );

  it("rejects probabilities outside [0, 1] and non-float input", () => {
    expect(() => dl.bernoulli(dl.tensor([0.5, 1.5]))).toThrow(/bernoulli.*\[0, 1\], got 1.5/);
    expect(() => dl.bernoulli(dl.tensor([1, 0]))).toThrow(/bernoulli.*float32/);
  });
});
