// DataLoader batching, shuffling from the global seed, dropLast, collate and length;
// TensorDataset, Subset and randomSplit.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const rows = (n: number) =>
  dl
    .arange(n * 2)
    .reshape([n, 2])
    .float();

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const out: B[] = [];
  for await (const b of loader) out.push(b);
  return out;
}

describe("DataLoader", () => {
  it("stacks TensorDataset rows into batches in order; the last batch is short", async () => {
    const ds = new dl.data.TensorDataset(rows(10), dl.arange(10));
    const loader = new dl.data.DataLoader(ds, { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = await collect(loader);
    expect(batches.map(([x]) => x.shape)).toEqual([
      [4, 2],
      [4, 2],
      [2, 2],
    ]);
    expect(batches.map(([, y]) => y.toArraySync())).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(batches[2][0].toArraySync()).toEqual([
      [16, 17],
      [18, 19],
    ]);
    expect(batches[0][1].dtype).toBe("int32");
  });

  it("dropLast drops the short batch and counts it out of length", async () => {
    const loader = new dl.data.DataLoader(new dl.data.TensorDataset(rows(10)), {
      batchSize: 4,
      dropLast: true,
    });
    expect(loader.length).toBe(2);
    expect(await collect(loader)).toHaveLength(2);
    expect(
      new dl.data.DataLoader(new dl.data.TensorDataset(rows(8)), { batchSize: 4, dropLast: true })
        .length,
    ).toBe(2);
  });

  it("shuffle: each epoch a permutation, reproducible with manualSeed, different across epochs", async () => {
    const ds = new dl.data.TensorDataset(dl.arange(50));
    const loader = new dl.data.DataLoader(ds, { batchSize: 8, shuffle: true });
    const epoch = async () => (await collect(loader)).flatMap(([y]) => Array.from(y.dataSync()));
    dl.manualSeed(0);
    const a1 = await epoch();
    const a2 = await epoch();
    dl.manualSeed(0);
    const b1 = await epoch();
    const b2 = await epoch();
    expect(b1).toEqual(a1);
    expect(b2).toEqual(a2);
    expect(a1).not.toEqual(a2);
    expect([...a1].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a1).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("the batched fast path equals stacking single samples", async () => {
    const x = dl.randn([7, 3, 2]);
    const ds = new dl.data.TensorDataset(x, dl.arange(7));
    dl.manualSeed(5);
    const fast = await collect(new dl.data.DataLoader(ds, { batchSize: 3, shuffle: true }));
    dl.manualSeed(5);
    const slow = await collect(
      new dl.data.DataLoader(ds, {
        batchSize: 3,
        shuffle: true,
        collate: (s) => dl.data.defaultCollate(s) as dl.Tensor[],
      }),
    );
    fast.forEach((b, i) =>
      b.forEach((t, k) => expect(t.toArraySync()).toEqual(slow[i][k].toArraySync())),
    );
  });

  it("strided tensors and tensors that require grad batch through indexSelect", () => {
    const strided = dl.arange(12).float().reshape([3, 4]).transpose(0, 1); // [4, 3], not contiguous
    const w = dl.randn([4, 2]).requiresGrad_();
    const ds = new dl.data.TensorDataset(strided, w);
    const [x, wb] = ds.getBatch([3, 0, 3]);
    expect(x.toArraySync()).toEqual([
      [3, 7, 11],
      [0, 4, 8],
      [3, 7, 11],
    ]);
    wb.sum().backward();
    expect(w.grad!.toArraySync()).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
      [2, 2],
    ]);
  });

  it("default collate: numbers, booleans, strings, tuples, records, typed arrays", () => {
    class Items extends dl.data.Dataset<{
      id: number;
      score: number;
      ok: boolean;
      name: string;
      v: Float32Array;
    }> {
      get length() {
        return 3;
      }
      get(i: number) {
        return {
          id: i,
          score: i + 0.5,
          ok: i % 2 === 0,
          name: `n${i}`,
          v: new Float32Array([i, -i]),
        };
      }
    }
    const [batch] = [...new dl.data.DataLoader(new Items(), { batchSize: 3 })];
    expect(batch.id.dtype).toBe("int32");
    expect(batch.id.toArraySync()).toEqual([0, 1, 2]);
    expect(batch.score.dtype).toBe("float32");
    expect(batch.score.toArraySync()).toEqual([0.5, 1.5, 2.5]);
    expect(batch.ok.toArraySync()).toEqual([true, false, true]);
    expect(batch.name).toEqual(["n0", "n1", "n2"]);
    expect(batch.v.toArraySync()).toEqual([
      [0, -0],
      [1, -1],
      [2, -2],
    ]);
    const pairs = dl.data.defaultCollate([
      ["a", 1],
      ["b", 2],
    ]) as [string[], dl.Tensor];
    expect(pairs[0]).toEqual(["a", "b"]);
    expect(pairs[1].toArraySync()).toEqual([1, 2]);
    expect(() => dl.data.defaultCollate([1, "x"])).toThrow(/same structure/);
    expect(() => dl.data.defaultCollate([null])).toThrow(/cannot batch samples of type null/);
  });

  it("a custom collate gets the samples; sync iteration works too; misuse is reported", () => {
    const ds = new dl.data.TensorDataset(dl.arange(5));
    const sums = [...new dl.data.DataLoader(ds, { batchSize: 2, collate: (s) => s.length })];
    expect(sums).toEqual([2, 2, 1]);
    expect(() => new dl.data.DataLoader(ds, { batchSize: 0 })).toThrow(
      /batchSize must be a positive integer/,
    );
    expect(() => new dl.data.TensorDataset(dl.zeros([3]), dl.zeros([4]))).toThrow(
      /same first dimension/,
    );
    expect(() => ds.get(5)).toThrow(/out of range/);
  });
});

describe("randomSplit and Subset", () => {
  it("counts: sizes as asked, disjoint, covering, reproducible", () => {
    const ds = new dl.data.TensorDataset(dl.arange(100));
    dl.manualSeed(1);
    const [a, b, c] = dl.data.randomSplit(ds, [60, 30, 10]);
    expect([a.length, b.length, c.length]).toEqual([60, 30, 10]);
    const all = [...a.indices, ...b.indices, ...c.indices];
    expect(new Set(all).size).toBe(100);
    dl.manualSeed(1);
    expect(dl.data.randomSplit(ds, [60, 30, 10])[0].indices).toEqual(a.indices);
    expect(a.get(0)[0].itemSync()).toBe(a.indices[0]);
  });

  it("fractions: floored, the remainder dealt from the first split (PyTorch's rule)", () => {
    const ds = new dl.data.TensorDataset(dl.arange(10));
    expect(dl.data.randomSplit(ds, [0.33, 0.33, 0.34]).map((s) => s.length)).toEqual([4, 3, 3]);
    expect(dl.data.randomSplit(ds, [0.8, 0.2]).map((s) => s.length)).toEqual([8, 2]);
    expect(() => dl.data.randomSplit(ds, [5, 4])).toThrow(/sum to 9/);
  });

  it("a Subset batches through its parent's fast path", async () => {
    const ds = new dl.data.TensorDataset(dl.arange(20).float());
    const sub = new dl.data.Subset(ds, [19, 3, 7]);
    const [[x]] = await collect(new dl.data.DataLoader(sub, { batchSize: 3 }));
    expect(x.toArraySync()).toEqual([19, 3, 7]);
  });
});
