// matmul (PyTorch's 1-D and batch-broadcast rules), T, transpose, permute, outer and einsum
// against naive float64 loops, with gradients.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, at, broadcastShape, build, permute, unravel } from "../helpers/ref.js";
import { opTest } from "../helpers/check-op.js";

/** torch.matmul semantics written out: 1-D operands get a dim added then removed. */
function matmulRef(a: Arr, b: Arr): Arr {
  const A = a.shape.length === 1 ? { shape: [1, a.shape[0]], data: a.data } : a;
  const B = b.shape.length === 1 ? { shape: [b.shape[0], 1], data: b.data } : b;
  const [m, k] = A.shape.slice(-2);
  const n = B.shape[B.shape.length - 1];
  const batch = broadcastShape(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const pick = (x: Arr, bIdx: number[], i: number, j: number) => {
    const lead = bIdx.length - (x.shape.length - 2);
    const own = x.shape.slice(0, -2).map((d, q) => (d === 1 ? 0 : bIdx[lead + q]));
    return at(x, [...own, i, j]);
  };
  let out = build([...batch, m, n], (idx) => {
    const bIdx = idx.slice(0, -2);
    const [i, j] = idx.slice(-2);
    let s = 0;
    for (let t = 0; t < k; t++) s += pick(A, bIdx, i, t) * pick(B, bIdx, t, j);
    return s;
  });
  if (a.shape.length === 1) out = { shape: [...batch, n], data: out.data };
  if (b.shape.length === 1) out = { shape: out.shape.slice(0, -1), data: out.data };
  return out;
}

/** einsum by brute force: every assignment of every letter, summed into the output. */
function einsumRef(spec: string, ...xs: Arr[]): Arr {
  const [lhs, rhs] = spec.replace(/\s/g, "").split("->");
  const ins = lhs.split(",");
  const size = new Map<string, number>();
  ins.forEach((s, k) => [...s].forEach((c, d) => size.set(c, xs[k].shape[d])));
  const letters = [...size.keys()];
  const outLetters = rhs === undefined ? [] : [...rhs];
  const outShape = outLetters.map((c) => size.get(c)!);
  const out = build(outShape, () => 0);
  const total = letters.reduce((n, c) => n * size.get(c)!, 1);
  const oStrides = outShape.map((_, d) => outShape.slice(d + 1).reduce((p, q) => p * q, 1));
  for (let i = 0; i < total; i++) {
    const idx = unravel(
      i,
      letters.map((c) => size.get(c)!),
    );
    const val = new Map(letters.map((c, q) => [c, idx[q]]));
    let p = 1;
    ins.forEach(
      (s, k) =>
        (p *= at(
          xs[k],
          [...s].map((c) => val.get(c)!),
        )),
    );
    out.data[outLetters.reduce((o, c, d) => o + val.get(c)! * oStrides[d], 0)] += p;
  }
  return out;
}

describe("matmul", () => {
  opTest("matmul", {
    fn: dl.matmul,
    method: (a, b) => a.matmul(b),
    ref: matmulRef,
    cases: [
      [
        [3, 4],
        [4, 5],
      ],
      [[4], [4]],
      [[4], [4, 3]],
      [[3, 4], [4]],
      [
        [2, 3, 4],
        [2, 4, 5],
      ],
      [
        [2, 1, 3, 4],
        [3, 4, 2],
      ],
      [[2, 3, 4], [4]],
      [[4], [2, 4, 3]],
      [
        [1, 4],
        [4, 1],
      ],
      [
        [3, 0],
        [0, 2],
      ],
      [
        [0, 3],
        [3, 2],
      ],
    ],
    gradAtol: 2e-4,
  });
  it("multiplies int32 matrices as float32", () => {
    const out = dl.matmul(dl.tensor([[1, 2]]), dl.tensor([[3], [4]]));
    expect(out.dtype).toBe("float32");
    expect(out.toArraySync()).toEqual([[11]]);
  });
  it("matches a 64x48x40 product computed in float64", () => {
    const a = dl.randn([64, 48]);
    const b = dl.randn([48, 40]);
    const want = matmulRef(
      { shape: [64, 48], data: Float64Array.from(a.dataSync()) },
      { shape: [48, 40], data: Float64Array.from(b.dataSync()) },
    );
    const got = dl.matmul(a, b).dataSync();
    let worst = 0;
    got.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - want.data[i]))));
    expect(worst).toBeLessThan(1e-4);
  });
});

describe("transposes and outer", () => {
  opTest("T", {
    fn: (x) => x.T,
    ref: (a) => (a.shape.length < 2 ? a : permute(a, [1, 0])),
    cases: [[[3, 4]], [[5]], [[]]],
  });
  opTest("transpose", {
    fn: (x) => dl.transpose(x, 0, -1),
    method: (x) => x.transpose(0, -1),
    ref: (a) => permute(a, [2, 1, 0]),
    cases: [[[2, 3, 4]]],
  });
  opTest("permute", {
    fn: (x) => dl.permute(x, [1, -1, 0]),
    method: (x) => x.permute([1, -1, 0]),
    ref: (a) => permute(a, [1, 2, 0]),
    cases: [[[2, 3, 4]], [[0, 2, 3]]],
  });
  opTest("permute then reduce (strided gradient)", {
    fn: (x) => dl.permute(x, [2, 0, 1]).matmul(dl.ones([3, 2])),
    ref: (a) =>
      matmulRef(permute(a, [2, 0, 1]), { shape: [3, 2], data: new Float64Array(6).fill(1) }),
    cases: [[[2, 3, 4]]],
  });
  opTest("outer", {
    fn: dl.outer,
    method: (a, b) => a.outer(b),
    ref: (a, b) => build([a.shape[0], b.shape[0]], ([i, j]) => a.data[i] * b.data[j]),
    cases: [
      [[3], [4]],
      [[1], [5]],
      [[0], [2]],
    ],
  });
});

describe("einsum", () => {
  const specs: [string, number[][]][] = [
    [
      "ij,jk->ik",
      [
        [3, 4],
        [4, 5],
      ],
    ],
    ["ij->ji", [[3, 4]]],
    ["ij->", [[3, 4]]],
    ["ij->j", [[3, 4]]],
    ["ii->i", [[4, 4]]],
    ["ii", [[4, 4]]],
    ["i,i->", [[5], [5]]],
    ["i,j->ij", [[3], [4]]],
    [
      "ij,ij->ij",
      [
        [3, 4],
        [3, 4],
      ],
    ],
    [
      "bij,bjk->bik",
      [
        [2, 3, 4],
        [2, 4, 5],
      ],
    ],
    [
      "bhqd,bhkd->bhqk",
      [
        [1, 2, 3, 4],
        [1, 2, 5, 4],
      ],
    ],
    [
      "ijk,ikl->jl",
      [
        [2, 3, 4],
        [2, 4, 3],
      ],
    ],
    [
      "ij,jk,kl->il",
      [
        [2, 3],
        [3, 4],
        [4, 2],
      ],
    ],
    [
      "ij,jk",
      [
        [3, 4],
        [4, 2],
      ],
    ],
    ["i,i", [[4], [4]]],
    ["ijk->kji", [[2, 3, 4]]],
    [
      "ij,kj->ik",
      [
        [3, 4],
        [2, 4],
      ],
    ],
  ];
  for (const [spec, shapes] of specs) {
    // Implicit output (no "->"): the letters seen once, sorted.
    const explicit = spec.includes("->")
      ? spec
      : (() => {
          const counts = new Map<string, number>();
          for (const c of spec.replace(/,/g, "")) counts.set(c, (counts.get(c) ?? 0) + 1);
          const out = [...counts].filter(([, n]) => n === 1).map(([c]) => c);
          return `${spec}->${out.sort().join("")}`;
        })();
    opTest(`einsum ${spec}`, {
      fn: (...xs) => dl.einsum(spec, ...xs),
      ref: (...xs) => einsumRef(explicit, ...xs),
      cases: [shapes],
      gradAtol: 2e-4,
    });
  }
});
