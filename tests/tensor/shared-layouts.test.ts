// The per-op shortcuts of the eager path (tensor/layouts.ts, the cached kernel view, the lazy
// version counter): handles share frozen shape and stride arrays from a small table keyed by
// the dims, so every way that table could hand out the wrong array is exercised here.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { layoutOf } from "../../src/tensor/layouts.js";

/** Row-major strides, computed here independently of the library. */
function rowMajor(shape: readonly number[]): number[] {
  const out: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    out[i] = s;
    s *= shape[i];
  }
  return out;
}

describe("shared frozen layouts", () => {
  it("gives every shape its own dims and row-major strides, across many colliding shapes", () => {
    // 3,000 distinct shapes overflow the 1,024-slot table many times over: each lookup must
    // still answer with equal dims, never a neighbour's.
    const shapes: number[][] = [];
    for (let a = 1; a <= 30; a++) for (let b = 1; b <= 100; b++) shapes.push([a, b]);
    for (const s of shapes) {
      const l = layoutOf(s);
      expect([...l.shape]).toEqual(s);
      expect([...l.strides]).toEqual(rowMajor(s));
      expect(Object.isFrozen(l.shape) && Object.isFrozen(l.strides)).toBe(true);
    }
    expect(layoutOf([]).shape).toEqual([]);
    expect(layoutOf([2, 3, 4, 5, 6, 7, 8, 9, 2]).strides).toEqual(
      rowMajor([2, 3, 4, 5, 6, 7, 8, 9, 2]),
    );
  });

  it("copies the caller's shape array: changing it later changes no tensor", () => {
    const shape = [2, 3];
    const t = dl.zeros(shape);
    shape[0] = 7;
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(() => (t.shape as number[]).push(1)).toThrow(TypeError);
  });

  it("keeps a view's own strides next to a shared shape", async () => {
    const x = dl.arange(6, { dtype: "float32" }).reshape([2, 3]);
    const xt = x.permute([1, 0]); // shape [3, 2], strides [1, 3]
    const fresh = dl.zeros([3, 2]); // the same shape, row-major
    expect(xt.strides).toEqual([1, 3]);
    expect(fresh.strides).toEqual([2, 1]);
    expect(xt.isContiguous).toBe(false);
    expect(await xt.add(fresh).toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it("reads an updated tensor through its new storage after an in-place op", async () => {
    const a = dl.tensor([1, 2, 3], { dtype: "float32" });
    const b = dl.tensor([10, 20, 30], { dtype: "float32" });
    expect(await a.add(b).toArray()).toEqual([11, 22, 33]); // a's kernel view is now cached
    a.mul_(2); // a points at a new storage
    expect(await a.add(b).toArray()).toEqual([12, 24, 36]);
    a.copy_(dl.tensor([5, 5, 5], { dtype: "float32" }));
    expect(await b.sub(a).toArray()).toEqual([5, 15, 25]);
  });

  it("still refuses a backward through a saved tensor changed in place", () => {
    const w = dl.tensor([1, 2], { dtype: "float32", requiresGrad: true });
    const h = w.mul(3); // never read before: its version counter is made when saved
    const y = h.mul(h).sum();
    dl.noGrad(() => h.add_(1));
    expect(() => y.backward()).toThrow(/modified by an in-place operation \(add_\)/);
  });
});
