// einsum's "..." (broadcast dims) and size-1 broadcasting, which PyTorch's einsum has and
// api.md's "do what PyTorch does" asks for: values against naive float64 loops, output shapes
// recorded from torch.einsum 1.13, gradients against finite differences.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const flat = (t: dl.Tensor) => Array.from(t.dataSync());

describe("einsum with an ellipsis", () => {
  it("batched matmul over broadcast batch dims matches a naive loop", () => {
    dl.manualSeed(3);
    const a = dl.randn([2, 1, 3, 4]);
    const b = dl.randn([5, 4, 6]);
    const out = dl.einsum("...ij,...jk->...ik", a, b);
    expect(out.shape).toEqual([2, 5, 3, 6]);
    const av = flat(a);
    const bv = flat(b);
    const got = flat(out);
    for (let p = 0; p < 2; p++)
      for (let q = 0; q < 5; q++)
        for (let i = 0; i < 3; i++)
          for (let k = 0; k < 6; k++) {
            let ref = 0;
            for (let j = 0; j < 4; j++) ref += av[p * 12 + i * 4 + j] * bv[q * 24 + j * 6 + k];
            const v = got[((p * 5 + q) * 3 + i) * 6 + k];
            expect(Math.abs(v - ref)).toBeLessThan(1e-5 * (1 + Math.abs(ref)));
          }
  });

  it("output shapes follow torch.einsum (implicit output puts the ellipsis first)", () => {
    const x = dl.ones([2, 3, 4]);
    const cases: [string, dl.Tensor[], number[]][] = [
      ["...ij->ij", [x], [3, 4]],
      ["...ij,...jk", [dl.ones([2, 1, 3, 4]), dl.ones([5, 4, 6])], [2, 5, 3, 6]],
      ["b...,b->...", [x, dl.ones([2])], [3, 4]],
      ["...", [dl.ones([2, 3])], [2, 3]],
      ["i...->...i", [x], [3, 4, 2]],
      ["ij...", [x], [4, 2, 3]],
      ["ji...", [x], [4, 3, 2]],
    ];
    for (const [spec, ops, shape] of cases)
      expect([spec, dl.einsum(spec, ...ops).shape]).toEqual([spec, shape]);
    // Summing the ellipsis dims away: each of the 3x4 outputs adds 2 ones.
    expect(flat(dl.einsum("...ij->ij", x))).toEqual(Array(12).fill(2));
    expect(
      flat(
        dl
          .einsum("i...->...i", dl.arange(24).float().reshape([2, 3, 4]))
          .select(0, 1)
          .select(0, 2),
      ),
    ).toEqual([6, 18]);
  });

  it("size-1 dims broadcast like torch.einsum('i,i->i', ones(1), arange(3))", () => {
    expect(flat(dl.einsum("i,i->i", dl.ones([1]), dl.arange(3).float()))).toEqual([0, 1, 2]);
    expect(() => dl.einsum("ij,jk", dl.ones([2, 3]), dl.ones([4, 5]))).toThrow(
      /letter "j" has sizes 3 and 4/,
    );
  });

  it("rejects two ellipses and subscripts longer than the operand", () => {
    expect(() => dl.einsum("...i...", dl.ones([2, 3]))).toThrow(/more than one "\.\.\."/);
    expect(() => dl.einsum("ijk...l", dl.ones([2, 3, 4]))).toThrow(/names more dims/);
    expect(() => dl.einsum("i.j", dl.ones([2, 3]))).toThrow(/only letters and "\.\.\."/);
  });

  it("gradients pass through the broadcast (finite differences)", () => {
    dl.manualSeed(4);
    const a = dl.randn([2, 1, 2, 3], { requiresGrad: true });
    const b = dl.randn([3, 3, 2], { requiresGrad: true });
    expect(
      dl.gradcheck((x, y) => dl.einsum("...ij,...jk->...ik", x, y).square().sum(), [a, b]),
    ).toBe(true);
  });
});
