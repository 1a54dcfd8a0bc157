// GCNConv against an explicit dense D^-1/2 (A + I) D^-1/2 X Wᵀ + b computed in float64,
// gradients (features, weight, bias, edge weights) against finite differences of that dense
// form, and PyG's parameter names.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { expectClose } from "../helpers/recorded.js";

// 5 nodes; node 4 is isolated; node 2 carries its own self-loop of weight 0.5 and an edge
// appears twice (1 → 0), so duplicates add up.
const SRC = [0, 1, 1, 2, 3, 2, 1, 0];
const DST = [1, 0, 2, 1, 2, 2, 0, 3];
const N = 5;
const IN = 3;
const OUT = 2;

interface Problem {
  x: Float64Array; // [N, IN]
  w: Float64Array; // [OUT, IN]
  b: Float64Array; // [OUT]
  ew: Float64Array; // [E]
}

interface DenseOptions {
  selfLoops: boolean;
  normalize: boolean;
  fill: number;
}

/** Dense reference: Â[i][j] sums the weights of edges j → i, plus the loop rule on the diagonal. */
function dense(p: Problem, o: DenseOptions): Float64Array {
  const A = Array.from({ length: N }, () => new Float64Array(N));
  SRC.forEach((s, e) => {
    if (!(o.normalize && o.selfLoops && s === DST[e])) A[DST[e]][s] += p.ew[e];
  });
  if (o.normalize && o.selfLoops)
    for (let i = 0; i < N; i++) {
      const loops = SRC.map((s, e) => (s === i && DST[e] === i ? p.ew[e] : null)).filter(
        (v): v is number => v !== null,
      );
      A[i][i] = loops.length ? loops.reduce((a, b) => a + b, 0) : o.fill;
    }
  const deg = A.map((row) => row.reduce((a, b) => a + b, 0));
  const inv = deg.map((d) => (d > 0 ? 1 / Math.sqrt(d) : 0));
  const xw = Array.from({ length: N }, (_, n) =>
    Array.from({ length: OUT }, (_, c) => {
      let s = 0;
      for (let k = 0; k < IN; k++) s += p.x[n * IN + k] * p.w[c * IN + k];
      return s;
    }),
  );
  const out = new Float64Array(N * OUT);
  for (let i = 0; i < N; i++)
    for (let c = 0; c < OUT; c++) {
      let s = p.b[c];
      for (let j = 0; j < N; j++) {
        const a = o.normalize ? inv[i] * A[i][j] * inv[j] : A[i][j];
        s += a * xw[j][c];
      }
      out[i * OUT + c] = s;
    }
  return out;
}

function problem(seed: number): Problem {
  const next = rng(seed);
  const draw = (n: number, lo = -1, hi = 1) =>
    Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * next()));
  const ew = draw(SRC.length, 0.2, 1.5);
  return { x: draw(N * IN), w: draw(OUT * IN), b: draw(OUT), ew };
}

const edgeIndex = () => dl.tensor([SRC, DST], { dtype: "int32" });
const f32 = (a: Float64Array, shape: number[]) => dl.tensor(Float32Array.from(a), { shape });

function loaded(p: Problem, opts: dl.nn.GCNConvLayerOptions = {}): dl.nn.GCNConv {
  const conv = new dl.nn.GCNConv(IN, OUT, opts);
  conv.loadStateDict({ bias: f32(p.b, [OUT]), "lin.weight": f32(p.w, [OUT, IN]) });
  return conv;
}

const VARIANTS: [string, dl.nn.GCNConvLayerOptions, DenseOptions, boolean][] = [
  ["normalised with self-loops", {}, { selfLoops: true, normalize: true, fill: 1 }, true],
  [
    "improved (Â = A + 2I)",
    { improved: true },
    { selfLoops: true, normalize: true, fill: 2 },
    true,
  ],
  [
    "no self-loops (isolated node gets 0)",
    { addSelfLoops: false },
    { selfLoops: false, normalize: true, fill: 0 },
    true,
  ],
  ["unnormalised", { normalize: false }, { selfLoops: false, normalize: false, fill: 0 }, true],
  ["unweighted edges", {}, { selfLoops: true, normalize: true, fill: 1 }, false],
];

describe("GCNConv", () => {
  it("has PyG's parameter names, shapes and initialisation", () => {
    dl.manualSeed(2);
    const conv = new dl.nn.GCNConv(40, 24);
    expect(conv.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([
      ["bias", [24]],
      ["lin.weight", [24, 40]],
    ]);
    expect(Object.keys(new dl.nn.GCNConv(4, 2, { bias: false }).stateDict())).toEqual([
      "lin.weight",
    ]);
    expect([...conv.bias!.dataSync()].every((v) => v === 0)).toBe(true);
    const bound = Math.sqrt(6 / 64);
    const w = [...conv.lin.weight.dataSync()].map(Math.abs);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound);
    expect(String(conv)).toBe("GCNConv(40, 24)");
    // Nested, it prints the same as alone (PyG's repr), not its inner Linear.
    expect(String(new dl.nn.Sequential(conv, new dl.nn.ReLU()))).toBe(
      "Sequential(\n  (0): GCNConv(40, 24)\n  (1): ReLU()\n)",
    );
  });

  it.each(VARIANTS)(
    "%s: forward and gradients match the dense formula",
    (_n, opts, ref, weighted) => {
      const p = problem(3);
      if (!weighted) p.ew.fill(1);
      const conv = loaded(p, opts);
      const x = f32(p.x, [N, IN]).requiresGrad_();
      const ew = weighted ? f32(p.ew, [SRC.length]).requiresGrad_() : undefined;
      const out = conv.forward(x, edgeIndex(), ew);
      expect(out.shape).toEqual([N, OUT]);
      expectClose(out.dataSync(), dense(p, ref));

      const g = problem(4).x.slice(0, N * OUT);
      out
        .mul(f32(g, [N, OUT]))
        .sum()
        .backward();
      const eps = 1e-6;
      const numeric = (values: Float64Array) =>
        Array.from(values, (orig, i) => {
          const loss = () => dense(p, ref).reduce((s, v, k) => s + v * g[k], 0);
          values[i] = orig + eps;
          const up = loss();
          values[i] = orig - eps;
          const down = loss();
          values[i] = orig;
          return (up - down) / (2 * eps);
        });
      expectClose(x.grad!.dataSync(), numeric(p.x), 1e-4);
      expectClose(conv.lin.weight.grad!.dataSync(), numeric(p.w), 1e-4);
      expectClose(conv.bias!.grad!.dataSync(), numeric(p.b), 1e-4);
      if (ew) expectClose(ew.grad!.dataSync(), numeric(p.ew), 1e-4);
    },
  );

  it("functional gcnNorm gives the normalised edge weights, self-loops appended", () => {
    const { row, col, weight } = dl.nn.functional.gcnNorm(
      dl.tensor([[0], [1]], { dtype: "int32" }),
      2,
    );
    expect([...row.dataSync()]).toEqual([0, 0, 1]);
    expect([...col.dataSync()]).toEqual([1, 0, 1]);
    // in-degrees with loops: node 0 → 1, node 1 → 2; edge 0→1 weight 1/√(1·2)
    expectClose(weight.dataSync(), [1 / Math.SQRT2, 1, 0.5], 1e-6);
  });

  it("rejects malformed graphs with the shapes involved", () => {
    const conv = new dl.nn.GCNConv(IN, OUT);
    const x = dl.randn([N, IN]);
    expect(() => conv.forward(x, dl.tensor([SRC, DST]).float())).toThrow(
      /edgeIndex must be an int32/,
    );
    expect(() => conv.forward(x, edgeIndex(), dl.ones([3]))).toThrow(
      /edgeWeight must be float32 \[8\]/,
    );
    expect(() => conv.forward(dl.randn([N, 4]), edgeIndex())).toThrow(/\[5, 4\]/);
    expect(() => conv.forward(x, dl.tensor([[0], [9]], { dtype: "int32" }))).toThrow(
      /out of bounds/,
    );
  });
});
