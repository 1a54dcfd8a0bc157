// Views share storage where PyTorch's do (reshape of a contiguous tensor, view, transpose,
// permute, expand, narrow/select/slice, squeeze/unsqueeze, split pieces, detach), with
// PyTorch's strides and offsets; reshape of a non-contiguous tensor copies.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const base = () => dl.arange(24, undefined, 1, { dtype: "float32" }).reshape([2, 3, 4]);

describe("views share storage", () => {
  const views: [string, (x: dl.Tensor) => dl.Tensor, number[], number[], number][] = [
    // name, view, shape, strides, offset (all as PyTorch reports them)
    ["reshape", (x) => x.reshape([6, 4]), [6, 4], [4, 1], 0],
    ["view with -1", (x) => x.view([-1, 2]), [12, 2], [2, 1], 0],
    ["flatten", (x) => x.flatten(1), [2, 12], [12, 1], 0],
    ["transpose", (x) => x.transpose(0, 2), [4, 3, 2], [1, 4, 12], 0],
    ["permute", (x) => x.permute([2, 0, 1]), [4, 2, 3], [1, 12, 4], 0],
    ["T of a slice", (x) => x.select(0, 1).T, [4, 3], [1, 4], 12],
    ["expand", (x) => x.narrow(1, 0, 1).expand([2, 5, 4]), [2, 5, 4], [12, 0, 1], 0],
    ["narrow", (x) => x.narrow(2, 1, 2), [2, 3, 2], [12, 4, 1], 1],
    ["select", (x) => x.select(1, 2), [2, 4], [12, 1], 8],
    ["slice string", (x) => x.slice("1, ::2, 1:"), [2, 3], [8, 1], 13],
    ["slice with a negative step", (x) => x.slice(":, :, ::-1"), [2, 3, 4], [12, 4, -1], 3],
    ["unsqueeze", (x) => x.unsqueeze(1), [2, 1, 3, 4], [12, 12, 4, 1], 0],
    ["squeeze", (x) => x.narrow(0, 1, 1).squeeze(0), [3, 4], [4, 1], 12],
    ["split piece", (x) => x.split(2, 2)[1], [2, 3, 2], [12, 4, 1], 2],
    ["chunk piece", (x) => x.chunk(2, 1)[1], [2, 1, 4], [12, 4, 1], 8],
    ["unflatten", (x) => x.unflatten(2, [2, 2]), [2, 3, 2, 2], [12, 4, 2, 1], 0],
    ["detach", (x) => x.detach(), [2, 3, 4], [12, 4, 1], 0],
  ];
  for (const [name, make, shape, strides, offset] of views)
    it(name, () => {
      const x = base();
      const bytes = dl.memory().bytes;
      const v = make(x);
      expect(v.storage).toBe(x.storage);
      expect(dl.memory().bytes).toBe(bytes);
      expect(v.shape).toEqual(shape);
      // Size-1 dims have no meaningful stride; compare the others.
      expect(v.strides.filter((_, i) => shape[i] !== 1)).toEqual(
        strides.filter((_, i) => shape[i] !== 1),
      );
      expect(v.offset).toBe(offset);
    });

  it("views read the right elements", () => {
    const x = base();
    expect(x.select(1, 2).toArraySync()).toEqual([
      [8, 9, 10, 11],
      [20, 21, 22, 23],
    ]);
    expect(x.slice("1, ::2, 1:").toArraySync()).toEqual([
      [13, 14, 15],
      [21, 22, 23],
    ]);
    expect(x.transpose(0, 2).select(0, 3).toArraySync()).toEqual([
      [3, 15],
      [7, 19],
      [11, 23],
    ]);
  });

  it("a view keeps its storage alive after the base is disposed", () => {
    const x = base();
    const v = x.select(0, 1);
    x.dispose();
    expect((v.toArraySync() as number[][])[0]).toEqual([12, 13, 14, 15]);
  });
});

describe("copies where PyTorch copies", () => {
  it("reshape of a transposed tensor copies, and view refuses", () => {
    const x = base().transpose(1, 2);
    const r = x.reshape([2, 12]);
    expect(r.storage).not.toBe(x.storage);
    expect(r.isContiguous).toBe(true);
    expect((r.toArraySync() as number[][])[0]).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    expect(() => x.view([2, 12])).toThrow(/view.*without copying.*reshape/);
  });
  it("contiguous() returns the tensor itself when contiguous, else a copy", () => {
    const x = base();
    expect(x.contiguous()).toBe(x);
    const t = x.permute([2, 1, 0]);
    const c = t.contiguous();
    expect(c.storage).not.toBe(x.storage);
    expect(c.isContiguous).toBe(true);
    expect(c.toArraySync()).toEqual(t.toArraySync());
  });
  it("reshape merging dims that are contiguous among themselves stays a view", () => {
    const x = base().narrow(0, 1, 1); // [1, 3, 4] at offset 12
    const r = x.reshape([12]);
    expect(r.storage).toBe(x.storage);
    expect(r.toArraySync()).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    const cols = base().narrow(2, 0, 2); // [2, 3, 2]: the last two dims do not merge
    const merged = cols.reshape([2, 6]);
    expect(merged.storage).not.toBe(cols.storage);
    expect((merged.toArraySync() as number[][])[1]).toEqual([12, 13, 16, 17, 20, 21]);
  });
  it("results of ops own new storage", () => {
    const x = base();
    expect(x.add(0).storage).not.toBe(x.storage);
    expect(x.clamp(0, 100).storage).not.toBe(x.storage);
  });
});
