// dl.nn.utils.clipGradNorm / clipGradValue against float64 formulas: the total norm over all
// gradients (2, 1, ∞ and a general p), the in-place rescale by min(1, maxNorm/(norm + 1e-6)).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { assertClose } from "../helpers/check-op.js";

const G1 = [3, -4, 0.5, 2];
const G2 = [-1, 6, 0.25];

function params(): dl.nn.Parameter[] {
  return [G1, G2].map((g) => {
    const p = new dl.nn.Parameter(dl.zeros([g.length]));
    p.grad = dl.tensor(g, { dtype: "float32" });
    return p;
  });
}

function normRef(values: number[], p: number): number {
  if (p === Infinity) return Math.max(...values.map(Math.abs));
  return values.reduce((s, v) => s + Math.abs(v) ** p, 0) ** (1 / p);
}

describe("clipGradNorm", () => {
  for (const p of [2, 1, Infinity, 3])
    it(`normType ${p}: returns the total norm and rescales every gradient`, () => {
      const ps = params();
      const total = dl.nn.utils.clipGradNorm(ps, 1.5, p);
      const want = normRef([...G1, ...G2], p);
      expect(total.shape).toEqual([]);
      expect(total.itemSync()).toBeCloseTo(want, 4);
      const coef = Math.min(1, 1.5 / (want + 1e-6));
      assertClose(
        ps[0].grad!.dataSync(),
        G1.map((v) => v * coef),
        1e-6,
        1e-5,
        "grad 0",
      );
      assertClose(
        ps[1].grad!.dataSync(),
        G2.map((v) => v * coef),
        1e-6,
        1e-5,
        "grad 1",
      );
    });

  it("leaves gradients alone below maxNorm; ignores parameters without a gradient", () => {
    const ps = [...params(), new dl.nn.Parameter(dl.zeros([2]))];
    const total = dl.nn.utils.clipGradNorm(ps, 100);
    expect(total.itemSync()).toBeCloseTo(normRef([...G1, ...G2], 2), 4);
    assertClose(ps[0].grad!.dataSync(), G1, 1e-6, 1e-6, "unchanged");
    expect(ps[2].grad).toBeNull();
    expect(dl.nn.utils.clipGradNorm([], 1).itemSync()).toBe(0);
  });

  it("clips a model's gradients in place, keeping the .grad handles", () => {
    dl.manualSeed(1);
    const m = new dl.nn.Linear(5, 3);
    dl.sum(dl.mul(m.forward(dl.randn([8, 5])), 10)).backward();
    const handles = m.parameters().map((q) => q.grad);
    dl.nn.utils.clipGradNorm(m.parameters(), 0.5);
    expect(m.parameters().map((q) => q.grad)).toEqual(handles);
    const after = m.parameters().flatMap((q) => [...q.grad!.dataSync()]);
    expect(normRef(after, 2)).toBeCloseTo(0.5, 4);
  });

  it("errorIfNonfinite names the problem; bad arguments are refused", () => {
    const [p] = params();
    p.grad = dl.tensor([NaN, 1], { dtype: "float32" });
    expect(() => dl.nn.utils.clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow(
      /clipGradNorm: the total norm of order 2 for gradients is non-finite/,
    );
    expect(() => dl.nn.utils.clipGradNorm([p], -1)).toThrow(
      /maxNorm must be a non-negative number/,
    );
  });
});

describe("clipGradValue", () => {
  it("clamps each element into [-v, v]", () => {
    const ps = params();
    dl.nn.utils.clipGradValue(ps, 2);
    expect([...ps[0].grad!.dataSync()]).toEqual([2, -2, 0.5, 2]);
    expect([...ps[1].grad!.dataSync()]).toEqual([-1, 2, 0.25]);
  });
});
