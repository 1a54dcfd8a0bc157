// Edge cases PyTorch defines, with the values PyTorch gives (recorded from its documentation
// and semantics, not from this library): empty softmax dims, chunk of an empty dim, the
// gradient of std at a constant, C's pow at ±1, dtype-preserving triu/tril, int32 reductions,
// and a lazy 1e12-item dataset iterated in order without an index array.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("zero-size dims", () => {
  it("softmax and logSoftmax over an empty dim return an empty tensor of the same shape", () => {
    const x = dl.zeros([2, 0]);
    for (const y of [x.softmax(1), x.logSoftmax(1), dl.nn.functional.softmax(x, 1)]) {
      expect(y.shape).toEqual([2, 0]);
      expect(y.dtype).toBe("float32");
    }
  });
  it("logsumexp over an empty dim is -inf (log of an empty sum)", () => {
    expect(dl.zeros([2, 0]).logsumexp(1).toArraySync()).toEqual([-Infinity, -Infinity]);
    expect(dl.zeros([2, 0]).logsumexp(1, true).shape).toEqual([2, 1]);
  });
  it("softmax along a non-empty dim of a tensor with another empty dim is empty too", () => {
    expect(dl.zeros([0, 3]).softmax(1).shape).toEqual([0, 3]);
  });
  it("chunk of an empty dim gives `chunks` empty pieces", () => {
    const parts = dl.zeros([0, 3]).chunk(3, 0);
    expect(parts.map((p) => p.shape)).toEqual([
      [0, 3],
      [0, 3],
      [0, 3],
    ]);
  });
});

describe("gradients at the edges", () => {
  it("std().backward() of a constant gives 0, not NaN", () => {
    const x = dl.full([4], 3, { requiresGrad: true });
    const s = x.std();
    expect(s.itemSync()).toBe(0);
    s.backward();
    expect(x.grad!.toArraySync()).toEqual([0, 0, 0, 0]);
  });
  it("std of a varying input keeps its usual gradient (x - mean) / ((n - 1) std)", () => {
    const x = dl.tensor([1, 2, 4], { dtype: "float32", requiresGrad: true });
    x.std().backward();
    const mean = 7 / 3;
    const sd = Math.sqrt(((1 - mean) ** 2 + (2 - mean) ** 2 + (4 - mean) ** 2) / 2);
    const want = [1, 2, 4].map((v) => (v - mean) / (2 * sd));
    x.grad!.dataSync().forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
  });
  it("std of NaN is NaN", () => {
    expect(Number.isNaN(dl.tensor([NaN, 1]).std().itemSync())).toBe(true);
  });
});

describe("pow follows C (and PyTorch), not JavaScript's Math.pow", () => {
  it("1^y = 1 for y = ±inf and NaN; (-1)^±inf = 1", () => {
    const base = dl.tensor([1, 1, 1, -1, -1]);
    const exp = dl.tensor([Infinity, -Infinity, NaN, Infinity, -Infinity]);
    expect(dl.pow(base, exp).toArraySync()).toEqual([1, 1, 1, 1, 1]);
  });
  it("other bases keep Math.pow's values", () => {
    const got = dl.pow(dl.tensor([2, -2, 0.5, NaN]), dl.tensor([Infinity, 3, -Infinity, 0]));
    expect(got.toArraySync()).toEqual([Infinity, -8, Infinity, 1]);
  });
});

describe("triu and tril keep the input dtype", () => {
  it("bool stays bool (the causal-mask idiom)", () => {
    const m = dl.ones([3, 3], { dtype: "bool" }).triu(1);
    expect(m.dtype).toBe("bool");
    expect(m.toArraySync()).toEqual([
      [false, true, true],
      [false, false, true],
      [false, false, false],
    ]);
  });
  it("int32 and float32 stay themselves", () => {
    expect(dl.ones([2, 2], { dtype: "int32" }).tril().dtype).toBe("int32");
    expect(dl.ones([2, 2]).tril(-1).toArraySync()).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });
});

describe("int32 sum and prod (documented: int32 result, wrapping modulo 2^32)", () => {
  // Dendrite has no int64: an int32 reduction returns int32 and wraps as int32 arithmetic
  // does (PyTorch promotes to int64). Cast to float32 first for large totals.
  it("sum stays int32 and wraps past 2^31 - 1", () => {
    const s = dl.tensor([2 ** 30, 2 ** 30], { dtype: "int32" }).sum();
    expect(s.dtype).toBe("int32");
    expect(s.itemSync()).toBe(-(2 ** 31));
    expect(
      dl
        .tensor([2 ** 30, 2 ** 30], { dtype: "int32" })
        .float()
        .sum()
        .itemSync(),
    ).toBe(2 ** 31);
  });
  it("prod stays int32", () => {
    const p = dl.tensor([3, 4, 5], { dtype: "int32" }).prod();
    expect(p.dtype).toBe("int32");
    expect(p.itemSync()).toBe(60);
  });
});

describe("a lazy dataset of 1e12 items", () => {
  class Counting extends dl.data.Dataset<number> {
    get length(): number {
      return 1e12;
    }
    get(i: number): number {
      return i;
    }
  }
  it("a DataLoader iterates it in order without an index array of its length", () => {
    const loader = new dl.data.DataLoader(new Counting(), {
      batchSize: 4,
      collate: (xs: number[]) => xs,
    });
    expect(loader.length).toBe(2.5e11);
    const seen: number[][] = [];
    for (const batch of loader) {
      seen.push(batch);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
  });
  it("so does the dataset's own iterator", () => {
    const first: number[] = [];
    for (const v of new Counting()) {
      first.push(v);
      if (first.length === 3) break;
    }
    expect(first).toEqual([0, 1, 2]);
  });
});
