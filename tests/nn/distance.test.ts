// normalize, cosineSimilarity and pairwiseDistance (functional and layer forms) against
// float64 loops and values recorded from PyTorch 1.13, gradients by finite differences, on
// every device.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { type Arr, broadcastShape, build, ravel } from "../helpers/ref.js";
import { assertClose, opTest } from "../helpers/check-op.js";

const F = dl.nn.functional;

/** The value of `a` at the broadcast index `idx` of an output of rank idx.length. */
function at(a: Arr, idx: number[]): number {
  const lead = idx.length - a.shape.length;
  return a.data[
    ravel(
      a.shape.map((d, i) => (d === 1 ? 0 : idx[i + lead])),
      a.shape,
    )
  ];
}

/** f over the vectors along `dim` of x1 and x2 broadcast together; that dim removed. */
function alongDim(a: Arr, b: Arr, dim: number, f: (u: number[], v: number[]) => number): Arr {
  const shape = broadcastShape(a.shape, b.shape);
  const d = dim < 0 ? dim + shape.length : dim;
  const outShape = shape.filter((_, i) => i !== d);
  return build(outShape, (idx) => {
    const u: number[] = [];
    const v: number[] = [];
    for (let k = 0; k < shape[d]; k++) {
      const full = [...idx.slice(0, d), k, ...idx.slice(d)];
      u.push(at(a, full));
      v.push(at(b, full));
    }
    return f(u, v);
  });
}

const dot = (u: number[], v: number[]) => u.reduce((s, x, i) => s + x * v[i], 0);
const l2 = (u: number[]) => Math.sqrt(dot(u, u));

describe("normalize", () => {
  for (const [p, dim] of [
    [2, 1],
    [1, -1],
    [3, 0],
  ] as const)
    opTest(`normalize p=${p} dim=${dim}`, {
      fn: (x) => F.normalize(x, { p, dim }),
      ref: (a) => {
        const d = dim < 0 ? dim + a.shape.length : dim;
        return build(a.shape, (idx) => {
          const line: number[] = [];
          for (let k = 0; k < a.shape[d]; k++)
            line.push(a.data[ravel([...idx.slice(0, d), k, ...idx.slice(d + 1)], a.shape)]);
          const n = line.reduce((s, x) => s + Math.abs(x) ** p, 0) ** (1 / p);
          return a.data[ravel(idx, a.shape)] / Math.max(n, 1e-12);
        });
      },
      cases: [[[3, 4]], [[2, 3, 2]]],
      low: 0.2,
      high: 2,
    });
});

describe("cosineSimilarity", () => {
  opTest("cosineSimilarity dim=1 with broadcasting", {
    fn: (a, b) => F.cosineSimilarity(a, b),
    ref: (a, b) => alongDim(a, b, 1, (u, v) => dot(u, v) / (l2(u) * l2(v))),
    cases: [
      [
        [4, 5],
        [4, 5],
      ],
      [
        [2, 3, 4],
        [1, 3, 4],
      ],
      [
        [3, 1],
        [3, 4],
      ],
    ],
    low: 0.2,
    high: 2,
  });
  opTest("CosineSimilarity(dim=-1)", {
    fn: (a, b) => new dl.nn.CosineSimilarity(-1).forward(a, b),
    ref: (a, b) => alongDim(a, b, -1, (u, v) => dot(u, v) / (l2(u) * l2(v))),
    cases: [
      [
        [3, 2, 4],
        [3, 2, 4],
      ],
    ],
    low: 0.2,
    high: 2,
  });

  it("matches PyTorch, a zero vector included (its gradient is 1/(eps·|y|), as PyTorch's)", () => {
    const a = dl.tensor(
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      { dtype: "float32", requiresGrad: true },
    );
    const b = dl.tensor([
      [2, -1, 0.5],
      [1, 1, 1],
    ]);
    const s = F.cosineSimilarity(a, b);
    // torch.nn.functional.cosine_similarity(a, b) -> [0.1750, 0.0]; .sum().backward() -> a.grad
    assertClose(s.dataSync(), [0.174964, 0], 1e-5, 1e-5, "cosine");
    s.sum().backward();
    const g = [0.22079, -0.14164, 0.020829, 5.7735e7, 5.7735e7, 5.7735e7];
    assertClose(a.grad!.dataSync(), g, 1e-5, 1e-4, "cosine gradient");
    expect(() => F.cosineSimilarity(dl.rand([2, 3]), dl.rand([2, 4]))).toThrow(
      /cosineSimilarity.*cannot be broadcast/,
    );
    expect(() => F.cosineSimilarity(dl.rand([2, 3]), dl.rand([2, 3]), 2)).toThrow(
      /cosineSimilarity.*dim 2/,
    );
  });
});

describe("pairwiseDistance", () => {
  for (const p of [2, 1])
    opTest(`pairwiseDistance p=${p}`, {
      fn: (a, b) => F.pairwiseDistance(a, b, p),
      ref: (a, b) =>
        alongDim(
          a,
          b,
          -1,
          (u, v) => u.reduce((s, x, i) => s + Math.abs(x - v[i] + 1e-6) ** p, 0) ** (1 / p),
        ),
      cases: [
        [
          [4, 3],
          [4, 3],
        ],
        [
          [2, 3],
          [1, 3],
        ],
      ],
    });

  it("matches PyTorch's nn.PairwiseDistance, keepdim included", () => {
    const f32 = { dtype: "float32" } as const;
    const a = dl.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      f32,
    );
    const b = dl.tensor(
      [
        [0, 0],
        [3, 5],
      ],
      f32,
    );
    // torch.nn.PairwiseDistance()(a, b): [2.2360692, 0.9999990] (eps 1e-6 added to the difference)
    const d = new dl.nn.PairwiseDistance().forward(a, b);
    assertClose(d.dataSync(), [2.2360692, 0.999999], 1e-6, 1e-6, "pairwise");
    expect(new dl.nn.PairwiseDistance(2, 1e-6, true).forward(a, b).shape).toEqual([2, 1]);
    // PyTorch prints neither layer's arguments.
    expect(String(new dl.nn.PairwiseDistance())).toBe("PairwiseDistance()");
    expect(String(new dl.nn.CosineSimilarity(0))).toBe("CosineSimilarity()");
    expect(() => F.pairwiseDistance(a, b, -1)).toThrow(/pairwiseDistance.*p must be/);
    expect(() => F.normalize(dl.tensor([[3, 4]]))).toThrow(/normalize.*float32 input, got int32/);
    expect(() => F.cosineSimilarity(dl.tensor([1]), a)).toThrow(/cosineSimilarity.*float32 x1/);
  });
});
