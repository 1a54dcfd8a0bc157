// norm and cdist against float64 loops and values recorded from PyTorch 1.13, gradients by
// finite differences (zero where the norm is zero, as PyTorch's), on every device.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, arr, reduce } from "../helpers/ref.js";
import { assertClose, opTest } from "../helpers/check-op.js";

const pnorm = (p: number | "fro") => (v: number[]) => {
  const a = v.map(Math.abs);
  if (p === "fro" || p === 2) return Math.sqrt(a.reduce((s, x) => s + x * x, 0));
  if (p === Infinity) return Math.max(...a);
  if (p === -Infinity) return Math.min(...a);
  if (p === 0) return a.filter((x) => x !== 0).length;
  return a.reduce((s, x) => s + x ** p, 0) ** (1 / p);
};

describe("norm", () => {
  for (const p of ["fro", 2, 1, 3, 0.5, Infinity, -Infinity] as const) {
    opTest(`norm p=${p} over everything`, {
      fn: (x) => dl.norm(x, p),
      method: (x) => x.norm(p),
      ref: (a) => reduce(a, undefined, false, pnorm(p)),
      cases: [[[3, 4]], [[5]]],
      low: 0.2,
      high: 2, // away from 0 and ties so the references' derivatives exist
    });
    opTest(`norm p=${p} over a dim, keepdim`, {
      fn: (x) => dl.norm(x, p, 1, true),
      ref: (a) => reduce(a, 1, true, pnorm(p)),
      cases: [[[3, 4]], [[2, 3, 2]]],
      low: 0.2,
      high: 2,
    });
  }
  opTest("norm over two dims", {
    fn: (x) => dl.norm(x, 2, [0, -1]),
    ref: (a) => reduce(a, [0, 2], false, pnorm(2)),
    cases: [[[2, 3, 4]]],
  });

  it("matches PyTorch, and the zero vector's gradient is zero", () => {
    const x = dl.tensor([
      [3, -4, 1],
      [0.5, 2, -2],
    ]);
    // torch.norm(x) 5.8523, p=1 12.5, inf 4, p=3 4.7640, p=0 6, dim=1 [5.0990, 2.8723]
    const got = [x.norm(), x.norm(1), x.norm(Infinity), x.norm(3), x.norm(0)].map(
      (t) => t.dataSync()[0],
    );
    assertClose(got, [5.8523, 12.5, 4, 4.764, 6], 1e-4, 1e-4, "norms");
    assertClose(x.norm(2, 1).dataSync(), [5.099, 2.8723], 1e-4, 1e-4, "norm dim 1");
    const z = dl.zeros([3], { requiresGrad: true });
    dl.norm(z).backward();
    expect(Array.from(z.grad!.dataSync())).toEqual([0, 0, 0]);
    const t = dl.tensor([1, -3, 3], { dtype: "float32", requiresGrad: true });
    dl.norm(t, Infinity).backward(); // torch: [0, -0.5, 0.5] (ties share)
    expect(Array.from(t.grad!.dataSync())).toEqual([0, -0.5, 0.5]);
  });

  it("rejects a bad p, dim or dtype with a DendriteError", () => {
    const x = dl.rand([2, 3]);
    expect(() => dl.norm(x, NaN)).toThrow(/norm.*p must be/);
    expect(() => dl.norm(x, 2, 3)).toThrow(/dim 3 is out of range/);
    expect(() => dl.norm(dl.tensor([1, 2]))).toThrow(/norm.*float32/);
  });
});

/** cdist reference: rows of a [P, M] and b [R, M] (one batch dim optional). */
function cdistRef(a: Arr, b: Arr, p: number): Arr {
  const batched = a.shape.length === 3;
  const B = batched ? a.shape[0] : 1;
  const [P, M] = a.shape.slice(-2);
  const R = b.shape[b.shape.length - 2];
  const out: number[] = [];
  for (let k = 0; k < B; k++)
    for (let i = 0; i < P; i++)
      for (let j = 0; j < R; j++) {
        const d: number[] = [];
        for (let m = 0; m < M; m++)
          d.push(a.data[(k * P + i) * M + m] - b.data[(k * R + j) * M + m]);
        out.push(pnorm(p)(d));
      }
  return arr(batched ? [B, P, R] : [P, R], out);
}

describe("cdist", () => {
  for (const p of [2, 1, Infinity])
    opTest(`cdist p=${p}`, {
      fn: (a, b) => dl.cdist(a, b, p),
      ref: (a, b) => cdistRef(a, b, p),
      cases: [
        [
          [3, 4],
          [5, 4],
        ],
        [
          [2, 3, 2],
          [2, 4, 2],
        ],
      ],
    });

  it("matches PyTorch, including a zero distance (gradient zero there)", () => {
    const a = dl.tensor(
      [
        [0, 0],
        [1, 1],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    const b = dl.tensor([
      [0, 0],
      [2, 0.5],
    ]);
    dl.cdist(a, b).sum().backward();
    // torch.cdist(a, b).sum().backward(): a.grad
    assertClose(a.grad!.dataSync(), [-0.9701, -0.2425, -0.1873, 1.1543], 1e-4, 1e-4, "grad");
    expect(dl.cdist(a, b, 1).toArraySync()).toEqual([
      [0, 2.5],
      [2, 1.5],
    ]);
    expect(() => dl.cdist(a, dl.rand([2, 3]))).toThrow(/cdist.*same M/);
  });
});
