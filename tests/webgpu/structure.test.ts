// Reductions, matmul, gather/scatterAdd, cat, slicing and im2col/col2im gradients on WebGPU
// against the CPU, at sizes that reach every code path: loop and tree reductions, tile edges
// of the matmul, vec4 and strided loads, batches, index bounds, overhanging windows.
import { beforeAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { im2col, col2im } from "../../src/ops/windows.js";
import { GEMM_TILE_CANDIDATES, tileKey } from "../../src/backend/webgpu/kernels/gemm-source.js";
import { setGemmTiles } from "../../src/backend/webgpu/kernels/matmul.js";
import { checkOnGpu, gpuAvailable, uniform, values } from "./gpu.js";

const REDUCE = ["sum", "max", "min", "prod"] as const;

describe.skipIf(!gpuAvailable)("webgpu reductions match the CPU", () => {
  beforeAll(() => dl.manualSeed(2));
  for (const op of REDUCE) {
    it(op, async () => {
      const f =
        (dim?: number | number[], keep = false) =>
        (x: Tensor) =>
          dl[op](x, dim, keep);
      const [lo, hi] = op === "prod" ? [0.8, 1.2] : [-2, 2];
      const x = uniform([4, 5, 6], lo, hi);
      for (const dim of [undefined, 0, 1, 2, [0, 2], [1, 2]])
        await checkOnGpu(`${op} dims ${JSON.stringify(dim)}`, f(dim), [x]);
      await checkOnGpu(`${op} keepdim`, f(1, true), [x]);
      await checkOnGpu(`${op} strided`, (t) => dl[op](t.permute([2, 0, 1]).flip(1), [0, 1]), [x]);
      // A long reduction (the workgroup tree) and many short ones (a thread each).
      await checkOnGpu(`${op} long`, f(1), [uniform([3, 3000], lo, hi)], { rtol: 1e-3 });
      await checkOnGpu(`${op} many`, f(0), [uniform([7, 5000], lo, hi)]);
      if (op === "sum" || op === "prod")
        await checkOnGpu(`${op} empty dim`, f(1), [uniform([3, 0])]);
      const nan = values([2, 3], [1, NaN, 2, 4, 5, -Infinity]);
      await checkOnGpu(`${op} NaN`, f(1), [nan], { grad: false });
      const ints = values([2, 3], [1, -7, 3, 0, 2, 9], "int32");
      await checkOnGpu(`${op} int32`, f(1), [ints]);
      await checkOnGpu(`${op} bool`, f(0), [values([3, 2], [1, 0, 1, 1, 0, 0], "bool")]);
    });
  }
  it("argmax and argmin: first extreme index, NaN counts as extreme", async () => {
    const x = values([3, 4], [1, 3, 3, 2, NaN, 1, NaN, 0, -1, -1, -5, -5]);
    for (const op of ["argmax", "argmin"] as const) {
      await checkOnGpu(`${op} rows`, (t) => dl[op](t, 1), [x]);
      await checkOnGpu(`${op} cols keepdim`, (t) => dl[op](t, 0, true), [x]);
      await checkOnGpu(`${op} flat`, (t) => dl[op](t), [uniform([5, 7])]);
      const ties = dl.cast(dl.mul(dl.rand([2, 2000]), 4), "int32");
      await checkOnGpu(`${op} long with ties`, (t) => dl[op](t, 1), [ties]);
      await checkOnGpu(`${op} long float`, (t) => dl[op](t.T, 0), [uniform([3000, 2])]);
    }
  });
});

describe.skipIf(!gpuAvailable)("webgpu matmul matches the CPU", () => {
  beforeAll(() => dl.manualSeed(3));
  const mm = (a: Tensor, b: Tensor) => dl.matmul(a, b);
  it("2-D at tile edges, vec4 and strided paths", async () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 3],
      [64, 64, 64],
      [65, 130, 67],
      [33, 16, 129],
      [1, 100, 1],
    ])
      await checkOnGpu(`matmul ${m}x${k}x${n}`, mm, [uniform([m, k]), uniform([k, n])]);
    await checkOnGpu("matmul of transposes", (a, b) => mm(a.T, b.T), [
      uniform([40, 30]),
      uniform([20, 40]),
    ]);
    await checkOnGpu("matmul of a sliced view", (a, b) => mm(a.slice("1:, ::2"), b), [
      uniform([9, 16]),
      uniform([8, 5]),
    ]);
  });
  it("every GEMM tile shape the GPU bench may choose, at tile edges", async () => {
    const before = setGemmTiles({});
    try {
      for (const tile of GEMM_TILE_CANDIDATES) {
        setGemmTiles({ large: tile, small: tile });
        const name = `matmul tile ${tileKey(tile)}`;
        // Sums of up to 260 terms in another order: absolute error grows where terms cancel.
        const tol = { atol: 1e-4 };
        await checkOnGpu(`${name} 130x72x260`, mm, [uniform([130, 72]), uniform([72, 260])], tol);
        await checkOnGpu(
          `${name} A^T, odd N`,
          (a, b) => mm(a.T, b),
          [uniform([37, 129]), uniform([37, 131])],
          tol,
        );
      }
    } finally {
      setGemmTiles(before);
    }
    // Each tile compiles its own unrolled pipelines: slow on SwiftShader, instant on a GPU.
  }, 600_000);
  it("batched, broadcast and vector forms", async () => {
    await checkOnGpu("batched", mm, [uniform([3, 4, 5]), uniform([3, 5, 6])]);
    await checkOnGpu("broadcast batch", mm, [uniform([2, 1, 3, 4]), uniform([5, 4, 2])]);
    await checkOnGpu("batched transposed", (a, b) => mm(a.permute([0, 2, 1]), b), [
      uniform([4, 8, 12]),
      uniform([4, 8, 16]),
    ]);
    await checkOnGpu("vector @ matrix", mm, [uniform([7]), uniform([7, 3])]);
    await checkOnGpu("matrix @ vector", mm, [uniform([3, 7]), uniform([7])]);
    await checkOnGpu("empty K", mm, [uniform([3, 0]), uniform([0, 4])]);
    await checkOnGpu("int32 operands", mm, [
      values([2, 2], [1, 2, 3, 4], "int32"),
      values([2, 1], [5, 6], "int32"),
    ]);
  });
});

describe.skipIf(!gpuAvailable)("webgpu indexing and layout ops match the CPU", () => {
  beforeAll(() => dl.manualSeed(4));
  it("gather along each dim", async () => {
    const idx0 = values([2, 3], [0, 2, 2, 1, 0, 0], "int32");
    await checkOnGpu("gather dim 0", (x, i) => dl.gather(x, 0, i), [uniform([3, 4]), idx0]);
    const idx1 = values([3, 2], [3, 0, 3, 1, 2, 2], "int32");
    await checkOnGpu("gather dim 1 strided", (x, i) => dl.gather(x.T, 1, i), [
      uniform([4, 3]),
      idx1,
    ]);
    await checkOnGpu("gather int32", (x, i) => dl.gather(x, 1, i), [
      values([3, 4], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "int32"),
      idx1,
    ]);
  });
  it("scatterAdd with repeated indices (atomic float adds)", async () => {
    const idx = dl.randint(0, 3, [50, 4]);
    await checkOnGpu("scatterAdd", (x, i, s) => dl.scatterAdd(x, 0, i, s), [
      uniform([3, 4]),
      idx,
      uniform([50, 4]),
    ]);
    const ints = dl.randint(-5, 5, [50, 4]);
    await checkOnGpu("scatterAdd int32", (x, i, s) => dl.scatterAdd(x, 0, i, s), [
      dl.zeros([3, 4], { dtype: "int32" }),
      idx,
      ints,
    ]);
  });
  it("indexSelect, embedding-style lookups and oneHot", async () => {
    const ids = values([5], [4, 0, 4, 2, 1], "int32");
    await checkOnGpu("indexSelect", (w, i) => dl.indexSelect(w, 0, i), [uniform([5, 3]), ids]);
    await checkOnGpu("oneHot", (i) => dl.oneHot(i, 6), [ids]);
  });
  it("cat with mixed dtypes, stack, split", async () => {
    await checkOnGpu("cat dim 1", (a, b) => dl.cat([a, b.T], 1), [
      uniform([3, 2]),
      uniform([4, 3]),
    ]);
    await checkOnGpu("cat promotes int32", (a, b) => dl.cat([a, b], 0), [
      uniform([2, 2]),
      values([1, 2], [7, 8], "int32"),
    ]);
    await checkOnGpu("stack", (a, b) => dl.stack([a, b], 0), [uniform([2, 3]), uniform([2, 3])]);
    await checkOnGpu("split", (a) => dl.split(a, 2, 1), [uniform([3, 5])]);
  });
  it("slicing gradients (unslice) with steps and flips, pad, tril", async () => {
    await checkOnGpu("slice steps", (x) => x.slice("1:5:2, ::-1"), [uniform([6, 4])]);
    await checkOnGpu("narrow + select", (x) => dl.select(dl.narrow(x, 1, 1, 3), 0, 2), [
      uniform([4, 5]),
    ]);
    await checkOnGpu("pad", (x) => dl.pad(x, [1, 2, 0, 1]), [uniform([2, 3])]);
    await checkOnGpu("tril", (x) => dl.tril(x, -1), [uniform([4, 4])]);
  });
  it("an out-of-range index raises at the next read, naming the op", async () => {
    const x = uniform([3, 4]).to("webgpu");
    const bad = values([1, 4], [0, 1, 7, 2], "int32").to("webgpu");
    const out = dl.gather(x, 0, bad);
    await expect(out.data()).rejects.toThrow(
      /gather: index 7 is out of bounds for a dim of size 3/,
    );
    const ok = await dl.gather(x, 0, values([1, 1], [2], "int32").to("webgpu")).data();
    expect(ok.length).toBe(1);
  });
  it("a negative index is out of bounds on the GPU too (PyTorch does not wrap)", async () => {
    const x = uniform([3, 4]).to("webgpu");
    const out = dl.gather(x, 0, values([1, 4], [0, -1, 2, 1], "int32").to("webgpu"));
    await expect(out.data()).rejects.toThrow(/gather: index -1 is out of bounds/);
  });
});

describe.skipIf(!gpuAvailable)("webgpu im2col and col2im match the CPU", () => {
  beforeAll(() => dl.manualSeed(4));
  // 3×2 windows reach one row and one column past the padded 4×6 image (read as the pad
  // value); strides, dilation, padding on one axis only. Both primitives are linear, and each
  // one's gradient is the other.
  const attrs = {
    kernel: [2, 3],
    stride: [2, 2],
    dilation: [1, 2],
    padding: [1, 0],
    out: [3, 2],
  } as const;
  const cols = (x: Tensor, padValue = 0) => im2col(x, { ...attrs, padValue });
  it("im2col of contiguous and flipped/permuted views, pad values, every dtype", async () => {
    await checkOnGpu("im2col", (x) => cols(x), [uniform([2, 3, 4, 6])]);
    await checkOnGpu("im2col of a view", (x) => cols(x.permute([1, 0, 3, 2]).flip(3)), [
      uniform([3, 2, 6, 4]),
    ]);
    await checkOnGpu("im2col pads with -Infinity", (x) => cols(x, -Infinity), [
      uniform([1, 2, 4, 6]),
    ]);
    const ints = dl.cast(dl.mul(uniform([1, 2, 4, 6]), 10), "int32");
    await checkOnGpu("im2col int32, pad 7", (x) => cols(x, 7), [ints]);
    await checkOnGpu("im2col bool", (x) => cols(x), [dl.gt(uniform([1, 1, 4, 6]), 0)]);
  });
  // Moved from the former tests/backend/webgpu-windows.test.ts (its value cases now run on
  // every device through tests/ops/windows.test.ts): the strided forms and the layers on top.
  it("im2col of a transposed and flipped view, with and without gradients", async () => {
    const a = {
      kernel: [3, 3],
      stride: [1, 1],
      dilation: [1, 1],
      padding: [0, 0],
      out: [3, 4],
      padValue: 0,
    } as const;
    const strided = (x: Tensor) => im2col(x.permute([0, 1, 3, 2]).flip(2), a);
    await checkOnGpu("im2col 3x3 strided", strided, [uniform([2, 3, 6, 5])]);
    const inf = {
      ...a,
      kernel: [2, 2],
      stride: [2, 2],
      padding: [1, 0],
      out: [3, 3],
      padValue: -Infinity,
    } as const;
    await checkOnGpu(
      "im2col -inf pad strided",
      (x) => im2col(x.permute([0, 1, 3, 2]).flip(2), inf),
      [uniform([1, 2, 5, 5])],
      { grad: false },
    );
  });
  it("conv2d and maxPool2d on the GPU match the CPU", async () => {
    const F = dl.nn.functional;
    await checkOnGpu("conv2d", (x, w, b) => F.conv2d(x, w, b, { padding: 1, stride: 2 }), [
      uniform([2, 3, 7, 7]),
      uniform([4, 3, 3, 3]),
      uniform([4]),
    ]);
    await checkOnGpu("maxPool2d", (x) => F.maxPool2d(x, 2), [uniform([2, 3, 6, 6])]);
  });
  it("col2im sums overlapping taps, also from a strided view", async () => {
    const overlapping = {
      kernel: [3, 3],
      stride: [1, 2],
      dilation: [1, 1],
      padding: [1, 1],
    } as const;
    const image = [2, 2, 4, 5];
    const wide = { ...overlapping, out: [4, 3] } as const;
    await checkOnGpu("col2im", (c) => col2im(c, wide, image), [uniform([2, 3, 3, 2, 4, 3])]);
    await checkOnGpu(
      "col2im of a view",
      (c) => col2im(c.permute([0, 1, 2, 3, 5, 4]), wide, image),
      [uniform([2, 3, 3, 2, 3, 4])],
    );
    await checkOnGpu("col2im int32", (c) => col2im(c, attrs, [1, 1, 4, 6]), [
      values(
        [1, 2, 3, 1, 3, 2],
        Array.from({ length: 36 }, (_, i) => i - 9),
        "int32",
      ),
    ]);
  });
});
