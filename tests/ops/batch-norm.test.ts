// The fused batch-norm primitives (ops/batch-norm.ts) on every device that starts: the
// statistics and the normalised output against float64 loops of the definition, the
// gradients of x, γ and β against central differences of that float64 definition (an
// independent reference for the closed-form backward), second derivatives through the
// composed gradient (createGraph), and F.batchNorm's training path end to end.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { batchNormTrain, channelMoments } from "../../src/ops/batch-norm.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp, expectRelClose } from "../helpers/spread.js";

const EPS = 1e-5;

/** y of the definition in float64 for x [N, C, S] flattened, per-channel w and b. */
function forward64(x: number[], w: number[], b: number[], [N, C, S]: number[]) {
  const y = new Array(x.length).fill(0);
  const mean = new Array(C).fill(0);
  const variance = new Array(C).fill(0);
  const idx = (n: number, c: number, s: number) => (n * C + c) * S + s;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) sum += x[idx(n, c, s)];
    mean[c] = sum / (N * S);
    let sq = 0;
    for (let n = 0; n < N; n++) for (let s = 0; s < S; s++) sq += (x[idx(n, c, s)] - mean[c]) ** 2;
    variance[c] = sq / (N * S);
    for (let n = 0; n < N; n++)
      for (let s = 0; s < S; s++) {
        const k = idx(n, c, s);
        y[k] = ((x[k] - mean[c]) / Math.sqrt(variance[c] + EPS)) * w[c] + b[c];
      }
  }
  return { y, mean, variance };
}

/** ∂(Σ r·y)/∂v for each entry of v, by central differences of the float64 definition. */
function numericGrad(f: (v: number[]) => number[], v: number[], r: number[]): number[] {
  const h = 1e-6;
  const loss = (u: number[]) => f(u).reduce((acc, y, k) => acc + y * r[k], 0);
  return v.map((_, i) => {
    const [plus, minus] = [[...v], [...v]];
    plus[i] += h;
    minus[i] -= h;
    return (loss(plus) - loss(minus)) / (2 * h);
  });
}

describe.each(DEVICES)("fused batch norm on $device", ({ device, available }) => {
  for (const shape of [
    [3, 4, 5, 2],
    [6, 3],
    [2, 5, 7],
  ])
    it.skipIf(!available)(
      `statistics, output and gradients match float64 references, x ${JSON.stringify(shape)}`,
      async () => {
        const [N, C] = shape;
        const S = shape.slice(2).reduce((a, b) => a * b, 1);
        const dims = [N, C, S];
        const size = N * C * S;
        const [xv, wv, bv, rv] = [
          ramp(size, -2, 3, 1),
          ramp(C, 0.5, 1.5, 2),
          ramp(C, -1, 1, 3),
          ramp(size, -1, 1, 4),
        ];
        const leaf = (v: number[], s: number[]) =>
          dl.tensor(v, { device }).reshape(s).requiresGrad_();
        const [x, w, b] = [leaf(xv, shape), leaf(wv, [C]), leaf(bv, [C])];
        const stats = channelMoments(x);
        const y = batchNormTrain(x, stats, w, b, { eps: EPS });
        expect(y.shape).toEqual(shape);
        y.backward(dl.tensor(rv, { device }).reshape(shape));
        const ref = forward64(xv, wv, bv, dims);
        expectRelClose(await stats.data(), [...ref.mean, ...ref.variance], 1e-5);
        expectRelClose(await y.data(), ref.y, 1e-5);
        const dx = numericGrad((u) => forward64(u, wv, bv, dims).y, xv, rv);
        const dw = numericGrad((u) => forward64(xv, u, bv, dims).y, wv, rv);
        const db = numericGrad((u) => forward64(xv, wv, u, dims).y, bv, rv);
        expectRelClose(await x.grad!.data(), dx, 1e-4);
        expectRelClose(await w.grad!.data(), dw, 1e-4);
        expectRelClose(await b.grad!.data(), db, 1e-4);
      },
    );

  it.skipIf(!available)("second derivatives (createGraph) match finite differences", async () => {
    const shape = [4, 2, 3];
    const w = dl.tensor([1.3, -0.7], { device });
    const b = dl.tensor([0.2, 0.5], { device });
    const g = dl.tensor(ramp(24, -1, 1, 7), { device }).reshape(shape);
    const v = dl.tensor(ramp(24, -1, 1, 8), { device }).reshape(shape);
    const x0 = dl.tensor(ramp(24, -2, 2, 9), { device }).reshape(shape);
    const gradAt = async (x: dl.Tensor) => {
      const xx = x.detach().requiresGrad_();
      batchNormTrain(xx, channelMoments(xx), w, b, { eps: EPS }).backward(g);
      return (await xx.grad!.data()) as Float32Array;
    };
    const xx = x0.detach().requiresGrad_();
    batchNormTrain(xx, channelMoments(xx), w, b, { eps: EPS }).backward(g, { createGraph: true });
    const gx = xx.grad!;
    xx.grad = null;
    gx.mul(v).sum().backward();
    const eps = 1e-2;
    const plus = await gradAt(x0.add(v.mul(eps)));
    const minus = await gradAt(x0.sub(v.mul(eps)));
    expectRelClose(
      await xx.grad!.data(),
      Array.from(plus, (p, i) => (p - minus[i]) / (2 * eps)),
      5e-3,
    );
  });

  it.skipIf(!available)(
    "F.batchNorm trains on a permuted view and updates the running statistics",
    async () => {
      // A convolution's output is a permuted view: [C, N, S] read as [N, C, S].
      const raw = dl.tensor(ramp(30, -3, 3, 5), { device }).reshape([2, 5, 3]);
      const x = raw.permute([1, 0, 2]).requiresGrad_();
      const [mean, variance] = [dl.zeros([2], { device }), dl.ones([2], { device })];
      const y = dl.nn.functional.batchNorm(x, mean, variance, { training: true, momentum: 0.1 });
      const ref = forward64(Array.from(await x.contiguous().data()), [1, 1], [0, 0], [5, 2, 3]);
      expectRelClose(await y.data(), ref.y, 1e-5);
      expectRelClose(
        await mean.data(),
        ref.mean.map((m) => 0.1 * m),
        1e-5,
      );
      expectRelClose(
        await variance.data(),
        ref.variance.map((v) => 0.9 + 0.1 * v * (15 / 14)),
        1e-5,
      );
      y.sum().backward();
      // Σ over a channel of a normalised output does not depend on x: the gradient is 0.
      expectRelClose(await x.grad!.data(), new Array(30).fill(0), 1e-5);
    },
  );

  it.skipIf(!available)("mismatched operands are an error naming the primitive", () => {
    const z = (s: number[]) => dl.zeros(s, { device });
    const x = z([2, 3, 4]);
    expect(() => batchNormTrain(x, z([2, 3]), z([3]), z([3]), { eps: EPS })).not.toThrow();
    expect(() => batchNormTrain(x, z([2, 3]), z([4]), z([3]), { eps: EPS })).toThrow(
      /batchNormTrain.*weight float32\[4\]/,
    );
    expect(() => channelMoments(z([5]))).toThrow(/channelMoments.*\[5\]/);
  });
});
