// F.scaledDotProductAttention against a float64 softmax(QKᵀ/√d)V with masks and
// finite-difference gradients. MultiheadAttention and the Transformer layers are tested in
// layers-mha and layers-transformer.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { expectClose } from "../helpers/recorded.js";

const F = dl.nn.functional;

interface Arr {
  shape: number[];
  data: Float64Array;
}

function randomArr(shape: number[], seed: number): Arr {
  const next = rng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float64Array.from({ length: n }, () => Math.fround(next() * 2 - 1)) };
}
const toTensor = (a: Arr): Tensor => dl.tensor(Float32Array.from(a.data), { shape: a.shape });

/**
 * softmax(q kᵀ·scale + mask) v for q [B, L, E], k [B, S, E], v [B, S, Ev], in float64 loops.
 * `allowed(b, i, j)` false removes a score (−∞); `bias(b, i, j)` is added.
 */
function refAttention(
  q: Arr,
  k: Arr,
  v: Arr,
  scale: number,
  allowed: (b: number, i: number, j: number) => boolean = () => true,
  bias: (b: number, i: number, j: number) => number = () => 0,
): Float64Array {
  const [B, L, E] = q.shape;
  const S = k.shape[1];
  const Ev = v.shape[2];
  const out = new Float64Array(B * L * Ev);
  for (let b = 0; b < B; b++)
    for (let i = 0; i < L; i++) {
      const scores: number[] = [];
      for (let j = 0; j < S; j++) {
        let s = 0;
        for (let e = 0; e < E; e++) s += q.data[(b * L + i) * E + e] * k.data[(b * S + j) * E + e];
        scores.push(allowed(b, i, j) ? s * scale + bias(b, i, j) : -Infinity);
      }
      const m = Math.max(...scores);
      if (m === -Infinity) continue; // a fully masked query yields zeros
      const w = scores.map((s) => Math.exp(s - m));
      const total = w.reduce((a, c) => a + c, 0);
      for (let j = 0; j < S; j++)
        for (let e = 0; e < Ev; e++)
          out[(b * L + i) * Ev + e] += (w[j] / total) * v.data[(b * S + j) * Ev + e];
    }
  return out;
}

/** Central differences of sum(ref(...) · w) with respect to every element of `x`. */
function numericGrad(x: Arr, w: Float64Array, ref: () => Float64Array, eps = 1e-6): number[] {
  const loss = () => ref().reduce((s, v, i) => s + v * w[i], 0);
  return Array.from(x.data, (orig, i) => {
    x.data[i] = orig + eps;
    const up = loss();
    x.data[i] = orig - eps;
    const down = loss();
    x.data[i] = orig;
    return (up - down) / (2 * eps);
  });
}

describe("scaledDotProductAttention", () => {
  const B = 2,
    L = 3,
    S = 5,
    E = 4,
    Ev = 6;
  const boolMask = (b: number, i: number, j: number) => (b + i + 2 * j) % 3 !== 0;
  const floatBias = (b: number, i: number, j: number) => 0.3 * Math.sin(b + 2 * i + 3 * j);
  const maskTensor = dl.tensor(
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => boolMask(b, i, j))),
    ),
  );
  const biasTensor = dl.tensor(
    Array.from({ length: B }, (_, b) =>
      Array.from({ length: L }, (_, i) => Array.from({ length: S }, (_, j) => floatBias(b, i, j))),
    ),
  );
  const cases: [
    string,
    dl.nn.functional.ScaledDotProductAttentionOptions,
    Parameters<typeof refAttention>[4],
    Parameters<typeof refAttention>[5],
    number?,
  ][] = [
    ["no mask", {}, undefined, undefined],
    ["bool mask (true = attend)", { mask: maskTensor }, boolMask, undefined],
    ["float mask added", { mask: biasTensor }, undefined, floatBias],
    ["causal", { causal: true }, (_b, i, j) => j <= i, undefined],
    ["custom scale", { scale: 0.9 }, undefined, undefined, 0.9],
  ];
  it.each(cases)("%s: forward and gradients", (_name, opts, allowed, bias, scale) => {
    const q = randomArr([B, L, E], 1);
    const k = randomArr([B, S, E], 2);
    const v = randomArr([B, S, Ev], 3);
    const w = randomArr([B, L, Ev], 4).data;
    const sc = scale ?? 1 / Math.sqrt(E);
    const ref = () => refAttention(q, k, v, sc, allowed, bias);
    const [qt, kt, vt] = [q, k, v].map((a) => toTensor(a).requiresGrad_());
    const out = F.scaledDotProductAttention(qt, kt, vt, opts);
    expect(out.shape).toEqual([B, L, Ev]);
    expectClose(out.dataSync(), ref());
    out
      .mul(dl.tensor(Float32Array.from(w), { shape: [B, L, Ev] }))
      .sum()
      .backward();
    expectClose(qt.grad!.dataSync(), numericGrad(q, w, ref), 1e-4);
    expectClose(kt.grad!.dataSync(), numericGrad(k, w, ref), 1e-4);
    expectClose(vt.grad!.dataSync(), numericGrad(v, w, ref), 1e-4);
  });

  it("broadcasts a 2-D mask and batch dims, and zeroes fully masked queries without NaN", () => {
    const q = dl.randn([2, 3, 2, 4]).requiresGrad_();
    const k = dl.randn([3, 5, 4]);
    const v = dl.randn([3, 5, 3]);
    const mask = dl.tensor([
      [true, true, false, false, false],
      [false, false, false, false, false],
    ]);
    const out = F.scaledDotProductAttention(q, k, v, { mask });
    expect(out.shape).toEqual([2, 3, 2, 3]);
    expect([...out.select(2, 1).contiguous().dataSync()].every((x) => x === 0)).toBe(true);
    out.sum().backward();
    expect([...q.grad!.dataSync()].every(Number.isFinite)).toBe(true);
  });

  it("applies dropout to the weights and validates its options", () => {
    const [q, k, v] = [dl.randn([1, 2, 4]), dl.randn([1, 3, 4]), dl.randn([1, 3, 2])];
    expect([...F.scaledDotProductAttention(q, k, v, { dropoutP: 1 }).dataSync()]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(() =>
      F.scaledDotProductAttention(q, k, v, { causal: true, mask: dl.ones([2, 3]) }),
    ).toThrow(/not both/);
    expect(() => F.scaledDotProductAttention(q, dl.randn([1, 3, 5]), v)).toThrow(/\[1, 3, 5\]/);
    expect(() =>
      F.scaledDotProductAttention(q, k, v, { mask: dl.ones([2, 3], { dtype: "int32" }) }),
    ).toThrow(/bool or float32/);
  });
});
