// backward(grad), accumulation on leaves, graph bookkeeping, noGrad, detach, retainGraph.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const leaf = (v: number[] | number[][]) => dl.tensor(v, { dtype: "float32", requiresGrad: true });

describe("backward", () => {
  it("seeds a scalar output with 1", () => {
    const x = leaf([1, 2, 3]);
    dl.mul(x, x).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([2, 4, 6]);
  });
  it("takes an explicit gradient for a non-scalar output", () => {
    const x = leaf([1, 2, 3]);
    dl.mul(x, 2).backward(dl.tensor([1, 10, 100]));
    expect(x.grad!.toArraySync()).toEqual([2, 20, 200]);
  });
  it("sums the paths of a leaf used several times", () => {
    const x = leaf([2, -1]);
    // y = x*x + 3x + x: dy/dx = 2x + 4.
    dl.add(dl.add(dl.mul(x, x), dl.mul(x, 3)), x)
      .sum()
      .backward();
    expect(x.grad!.toArraySync()).toEqual([8, 2]);
  });
  it("accumulates into .grad across backward calls, in place", () => {
    const x = leaf([1, 2]);
    dl.mul(x, 3).sum().backward();
    const g = x.grad!;
    dl.mul(x, x).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([5, 7]);
    // The handle seen after the first call sees the accumulated values.
    expect(g.toArraySync()).toEqual([5, 7]);
  });
  it("backward on a leaf itself", () => {
    const x = dl.tensor(4.5, { requiresGrad: true });
    x.backward();
    expect(x.grad!.itemSync()).toBe(1);
  });
  it("gives gradients to leaves only; intermediates keep grad null", () => {
    const x = leaf([1, 2]);
    const h = dl.exp(x);
    expect(h.isLeaf).toBe(false);
    expect(h.requiresGrad).toBe(true);
    expect(h.gradFn?.op).toBe("exp");
    h.sum().backward();
    expect(h.grad).toBeNull();
    expect(x.grad!.toArraySync()).toEqual(Array.from(dl.exp(dl.tensor([1, 2])).dataSync()));
  });
  it("leaves that do not require grad get no gradient", () => {
    const x = leaf([1, 2]);
    const c = dl.tensor([3, 4], { dtype: "float32" });
    dl.mul(x, c).sum().backward();
    expect(c.grad).toBeNull();
    expect(x.grad!.toArraySync()).toEqual([3, 4]);
  });
  it("reduces broadcast gradients to each input's shape", () => {
    const a = leaf([[1], [2], [3]]); // [3, 1]
    const b = leaf([10, 20]); // [2]
    dl.mul(a, b).sum().backward();
    expect(a.grad!.toArraySync()).toEqual([[30], [30], [30]]);
    expect(b.grad!.toArraySync()).toEqual([6, 6]);
  });
  it("a number operand takes no gradient and does not disturb the others", () => {
    const x = leaf([1, 2]);
    dl.div(6, x).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([-6, -1.5]);
  });
});

describe("retainGraph", () => {
  it("a second backward through the same graph throws without it", () => {
    const x = leaf([1, 2]);
    const y = dl.mul(x, x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward.*second time.*retainGraph/);
  });
  it("with it, the second backward works and accumulates", () => {
    const x = leaf([1, 2]);
    const y = dl.mul(x, x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(x.grad!.toArraySync()).toEqual([4, 8]);
  });
  it("is an error even for a graph that saved no tensors (the API's rule)", () => {
    const x = leaf([1, 2]);
    const y = dl.add(x, 1).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/retainGraph/);
    expect(x.grad!.toArraySync()).toEqual([1, 1]);
  });
});

describe("noGrad, enableGrad, detach", () => {
  it("noGrad records nothing and restores the mode, also after a throw", () => {
    const x = leaf([1, 2]);
    const y = dl.noGrad(() => dl.mul(x, 2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(dl.isGradEnabled()).toBe(true);
    expect(() =>
      dl.noGrad(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(dl.isGradEnabled()).toBe(true);
    expect(dl.mul(x, 2).requiresGrad).toBe(true);
  });
  it("enableGrad inside noGrad records again", () => {
    const x = leaf([1]);
    const y = dl.noGrad(() => dl.enableGrad(() => dl.mul(x, 2)));
    expect(y.requiresGrad).toBe(true);
  });
  it("detach cuts the graph and shares storage", () => {
    const x = leaf([1, 2]);
    const d = dl.mul(x, x).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    // y = x * detach(x*x): dy/dx = x*x only.
    dl.mul(x, dl.mul(x, x).detach()).sum().backward();
    expect(x.grad!.toArraySync()).toEqual([1, 4]);
    const base = dl.tensor([1, 2, 3]);
    expect(base.detach().storage).toBe(base.storage);
  });
  it("a detached tensor can start its own graph", () => {
    const x = leaf([3]);
    const d = dl.mul(x, 2).detach().requiresGrad_();
    dl.mul(d, d).sum().backward();
    expect(d.grad!.toArraySync()).toEqual([12]);
    expect(x.grad).toBeNull();
  });
});
