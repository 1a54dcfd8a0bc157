// The WebGPU im2col / col2im kernels against the CPU oracle (values and gradients, each
// kernel checking the other through the gradient), on contiguous and strided inputs, with
// padding, dilation, overhanging windows and a -Infinity pad value. Skipped without an adapter.
import { beforeAll, describe, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { im2col, type Im2colAttrs, col2im } from "../../src/ops/windows.js";
import { checkOnGpu, gpuAvailable, uniform } from "../webgpu/gpu.js";

const attrs = (
  kernel: [number, number],
  stride: [number, number],
  dilation: [number, number],
  padding: [number, number],
  out: [number, number],
  padValue = 0,
): Im2colAttrs => ({ kernel, stride, dilation, padding, out, padValue });

const CASES: [string, number[], Im2colAttrs][] = [
  ["3x3", [2, 3, 5, 6], attrs([3, 3], [1, 1], [1, 1], [0, 0], [3, 4])],
  ["padded strided dilated", [2, 2, 7, 6], attrs([3, 2], [2, 1], [2, 2], [1, 2], [3, 7])],
  ["overhanging, -inf pad", [1, 2, 5, 5], attrs([2, 2], [2, 2], [1, 1], [1, 0], [3, 3], -Infinity)],
];

describe.skipIf(!gpuAvailable)("webgpu im2col and col2im match the CPU", () => {
  beforeAll(() => dl.manualSeed(3));
  for (const [name, shape, a] of CASES) {
    it(`im2col ${name}`, async () => {
      const grad = a.padValue === 0;
      await checkOnGpu(`im2col ${name}`, (x) => im2col(x, a), [uniform(shape)], { grad });
      const strided = (x: Tensor) => im2col(x.permute([0, 1, 3, 2]).flip(2), a);
      const swapped = [shape[0], shape[1], shape[3], shape[2]];
      await checkOnGpu(`im2col ${name} strided`, strided, [uniform(swapped)], { grad });
    });
    it(`col2im ${name}`, async () => {
      const cols = [shape[1], ...a.kernel, shape[0], ...a.out];
      await checkOnGpu(`col2im ${name}`, (g) => col2im(g, a, shape), [uniform(cols)]);
    });
  }
  it("conv2d and maxPool2d on the GPU match the CPU", async () => {
    const F = dl.nn.functional;
    await checkOnGpu("conv2d", (x, w, b) => F.conv2d(x, w, b, { padding: 1, stride: 2 }), [
      uniform([2, 3, 7, 7]),
      uniform([4, 3, 3, 3]),
      uniform([4]),
    ]);
    await checkOnGpu("maxPool2d", (x) => F.maxPool2d(x, 2), [uniform([2, 3, 6, 6])]);
  });
});
