// Dropout (train vs eval statistics, seeding), Embedding (lookup, paddingIdx, init), Bilinear
// (against the float64 sum, gradients by finite differences), Flatten/Unflatten/Identity and
// the activation modules against their formulas, with PyTorch's reprs.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { arr, erf } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

const F = dl.nn.functional;

describe("Dropout", () => {
  it("in training zeroes about p of the elements and scales the rest by 1/(1-p)", () => {
    dl.manualSeed(1);
    const drop = new dl.nn.Dropout(0.3);
    const n = 20000;
    const y = Array.from(drop.forward(dl.ones([n])).dataSync());
    const zeros = y.filter((v) => v === 0).length;
    // Binomial(n, 0.3): standard deviation ≈ 65, so ±4σ.
    expect(Math.abs(zeros - 0.3 * n)).toBeLessThan(260);
    expect(y.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    const mean = y.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 1)).toBeLessThan(0.03);
  });

  it("is the identity in eval mode and reproducible under manualSeed", () => {
    const drop = new dl.nn.Dropout();
    const x = dl.randn([4, 5]);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
    drop.train();
    dl.manualSeed(7);
    const a = Array.from(drop.forward(x).dataSync());
    dl.manualSeed(7);
    const b = Array.from(drop.forward(x).dataSync());
    expect(a).toEqual(b);
    expect(a).not.toEqual(Array.from(x.dataSync()));
  });

  it("passes gradients only through kept elements, scaled", () => {
    dl.manualSeed(2);
    const x = dl.randn([50], { requiresGrad: true });
    const y = F.dropout(x, { p: 0.5, training: true });
    y.sum().backward();
    const out = y.dataSync();
    const g = x.grad!.dataSync();
    out.forEach((v, i) => expect(g[i]).toBe(v === 0 ? 0 : 2));
  });

  it("handles p = 0 and p = 1, rejects others, and prints like PyTorch", () => {
    const x = dl.randn([10]);
    expect(F.dropout(x, 0)).toBe(x);
    expect(
      F.dropout(x, 1)
        .dataSync()
        .every((v) => v === 0),
    ).toBe(true);
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(() => F.dropout(x, 1.5)).toThrow(
      /dropout: dropout probability has to be between 0 and 1/,
    );
    expect(() => new dl.nn.Dropout(-0.1)).toThrow(/Dropout/);
    expect(new dl.nn.Dropout(0.25).toString()).toBe("Dropout(p=0.25, inplace=False)");
  });
});

describe("Embedding", () => {
  it("looks up rows, keeps the index shape, and initialises N(0, 1)", () => {
    dl.manualSeed(4);
    const emb = new dl.nn.Embedding(1000, 16);
    expect(emb.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([["weight", [1000, 16]]]);
    const w = Array.from(emb.weight.dataSync());
    const mean = w.reduce((a, b) => a + b, 0) / w.length;
    const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const idx = dl.tensor([
      [3, 999],
      [0, 3],
    ]);
    const out = emb.forward(idx);
    expect(out.shape).toEqual([2, 2, 16]);
    expect(Array.from(out.slice("1, 1").dataSync())).toEqual(
      Array.from(emb.weight.slice("3").dataSync()),
    );
    expect(emb.toString()).toBe("Embedding(1000, 16)");
  });

  it("accumulates gradients per row and gives the padding row none", () => {
    const emb = new dl.nn.Embedding(5, 3, { paddingIdx: -1 });
    expect(emb.paddingIdx).toBe(4);
    expect(Array.from(emb.weight.slice("4").dataSync())).toEqual([0, 0, 0]);
    expect(emb.toString()).toBe("Embedding(5, 3, padding_idx=4)");
    const idx = dl.tensor([1, 4, 1, 2, 4]);
    emb.forward(idx).sum().backward();
    expect(emb.weight.grad!.toArraySync()).toEqual([
      [0, 0, 0],
      [2, 2, 2],
      [1, 1, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it("reads a non-zero padding row but passes it no gradient (F.embedding)", () => {
    const w = dl.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    const y = F.embedding(dl.tensor([0, 1, 0]), w, { paddingIdx: 0 });
    expect(y.toArraySync()).toEqual([
      [1, 2],
      [3, 4],
      [1, 2],
    ]);
    y.sum().backward();
    expect(w.grad!.toArraySync()).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("builds from pretrained weights and rejects bad indices", () => {
    const table = dl.tensor(
      [
        [0.5, 1],
        [2, 3],
      ],
      { dtype: "float32" },
    );
    const emb = dl.nn.Embedding.fromPretrained(table);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.forward(dl.tensor([1])).toArraySync()).toEqual([[2, 3]]);
    expect(dl.nn.Embedding.fromPretrained(table, { freeze: false }).weight.requiresGrad).toBe(true);
    expect(() => emb.forward(dl.tensor([2]))).toThrow(/embedding: index 2 is out of range/);
    expect(() => emb.forward(dl.tensor([0.5]))).toThrow(/indices must be an int32 tensor/);
    expect(() => new dl.nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow(/paddingIdx 3/);
  });
});

describe("Bilinear", () => {
  opTest("bilinear x1ᵀ W x2 + b", {
    fn: (x1, x2, w, b) => F.bilinear(x1, x2, w, b),
    ref: (x1, x2, w, b) => {
      const [B, I] = x1.shape;
      const [O, , J] = w.shape;
      const out = new Float64Array(B * O);
      for (let n = 0; n < B; n++)
        for (let o = 0; o < O; o++) {
          let s = b.data[o];
          for (let i = 0; i < I; i++)
            for (let j = 0; j < J; j++)
              s += x1.data[n * I + i] * w.data[(o * I + i) * J + j] * x2.data[n * J + j];
          out[n * O + o] = s;
        }
      return arr([B, O], out);
    },
    cases: [[[3, 4], [3, 2], [5, 4, 2], [5]]],
    gradAtol: 1e-3,
  });

  it("has PyTorch's parameters, init bound and repr, over leading dims", () => {
    dl.manualSeed(9);
    const bl = new dl.nn.Bilinear(16, 3, 8);
    expect(bl.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["weight", [8, 16, 3]],
      ["bias", [8]],
    ]);
    const maxAbs = Math.max(...Array.from(bl.weight.dataSync(), Math.abs));
    expect(maxAbs).toBeLessThanOrEqual(0.25);
    expect(maxAbs).toBeGreaterThan(0.24);
    expect(bl.toString()).toBe(
      "Bilinear(in1_features=16, in2_features=3, out_features=8, bias=True)",
    );
    expect(bl.forward(dl.randn([2, 5, 16]), dl.randn([2, 5, 3])).shape).toEqual([2, 5, 8]);
    expect(() => bl.forward(dl.randn([2, 16]), dl.randn([3, 3]))).toThrow(/bilinear: inputs/);
  });
});

describe("shape layers", () => {
  it("Flatten, Unflatten and Identity", () => {
    const x = dl.randn([2, 3, 4, 5]);
    expect(new dl.nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new dl.nn.Flatten(0, 2).forward(x).shape).toEqual([24, 5]);
    expect(new dl.nn.Flatten().toString()).toBe("Flatten(start_dim=1, end_dim=-1)");
    const u = new dl.nn.Unflatten(1, [2, -1]);
    expect(u.forward(dl.zeros([3, 8])).shape).toEqual([3, 2, 4]);
    expect(new dl.nn.Unflatten(1, [2, 4]).toString()).toBe(
      "Unflatten(dim=1, unflattened_size=(2, 4))",
    );
    expect(new dl.nn.Identity(54, { unused: true }).forward(x)).toBe(x);
    expect(new dl.nn.Identity().toString()).toBe("Identity()");
  });
});

describe("activation modules", () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const cases: [string, dl.nn.Module, (v: number) => number, string][] = [
    ["ReLU", new dl.nn.ReLU(), (v) => Math.max(v, 0), "ReLU()"],
    [
      "LeakyReLU",
      new dl.nn.LeakyReLU(0.2),
      (v) => (v > 0 ? v : 0.2 * v),
      "LeakyReLU(negative_slope=0.2)",
    ],
    ["ELU", new dl.nn.ELU(), (v) => (v > 0 ? v : Math.exp(v) - 1), "ELU(alpha=1.0)"],
    [
      "GELU",
      new dl.nn.GELU(),
      (v) => 0.5 * v * (1 + erf(v / Math.SQRT2)),
      "GELU(approximate='none')",
    ],
    [
      "GELU tanh",
      new dl.nn.GELU("tanh"),
      (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))),
      "GELU(approximate='tanh')",
    ],
    ["SiLU", new dl.nn.SiLU(), (v) => v * sig(v), "SiLU()"],
    ["Tanh", new dl.nn.Tanh(), Math.tanh, "Tanh()"],
    ["Sigmoid", new dl.nn.Sigmoid(), sig, "Sigmoid()"],
    [
      "Softplus",
      new dl.nn.Softplus(2, 3),
      (v) => (2 * v > 3 ? v : Math.log1p(Math.exp(2 * v)) / 2),
      "Softplus(beta=2.0, threshold=3.0)",
    ],
  ];
  for (const [name, m, f] of cases)
    opTest(`${name} module`, {
      fn: (x) => m.forward(x) as dl.Tensor,
      ref: (x) => arr(x.shape, x.data.map(f)),
      cases: [[[3, 7]]],
      low: -3,
      high: 3,
      gradAtol: 1e-3,
    });
  it("print like PyTorch", () => {
    for (const [, m, , repr] of cases) expect(m.toString()).toBe(repr);
    expect(new dl.nn.Softmax(1).toString()).toBe("Softmax(dim=1)");
    expect(new dl.nn.LogSoftmax(-1).toString()).toBe("LogSoftmax(dim=-1)");
  });
  opTest("Softmax and LogSoftmax modules", {
    fn: (x) => [new dl.nn.Softmax(1).forward(x), new dl.nn.LogSoftmax(1).forward(x)],
    ref: (x) => {
      const [R, C] = x.shape;
      const sm = new Float64Array(R * C);
      const lsm = new Float64Array(R * C);
      for (let r = 0; r < R; r++) {
        const row = Array.from(x.data.slice(r * C, (r + 1) * C));
        const lse = Math.log(row.reduce((a, v) => a + Math.exp(v), 0));
        row.forEach((v, c) => {
          lsm[r * C + c] = v - lse;
          sm[r * C + c] = Math.exp(v - lse);
        });
      }
      return [arr(x.shape, sm), arr(x.shape, lsm)];
    },
    cases: [[[3, 5]]],
    gradAtol: 1e-3,
  });
});
