// The fused LSTM cell primitive against float64 loops of PyTorch's equations, on every device
// that starts: [h', c'] and the gradients of gi, gh and c for a random upstream gradient,
// an unbatched cell, and second derivatives through the composed gradient (createGraph).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { lstmCell } from "../../src/ops/lstm-cell.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp, expectRelClose } from "../helpers/spread.js";

/** A deterministic float64 array of n values in [lo, hi). */
const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** Outputs [h'; c'] and the gradients (∂gates, ∂c) for upstream g = [gh'; gc']. */
function reference(gi: number[], gh: number[], c: number[], g: number[], hidden: number) {
  const n = c.length;
  const out = new Array(2 * n).fill(0);
  const dGates = new Array(4 * n).fill(0);
  const dc = new Array(n).fill(0);
  for (let e = 0; e < n; e++) {
    const k = Math.floor(e / hidden) * 4 * hidden + (e % hidden);
    const pre = [0, 1, 2, 3].map((q) => gi[k + q * hidden] + gh[k + q * hidden]);
    const [i, f, o] = [sig(pre[0]), sig(pre[1]), sig(pre[3])];
    const gg = Math.tanh(pre[2]);
    const cn = f * c[e] + i * gg;
    const tc = Math.tanh(cn);
    out[e] = o * tc;
    out[n + e] = cn;
    const dcn = g[n + e] + g[e] * o * (1 - tc * tc);
    dGates[k] = dcn * gg * i * (1 - i);
    dGates[k + hidden] = dcn * c[e] * f * (1 - f);
    dGates[k + 2 * hidden] = dcn * i * (1 - gg * gg);
    dGates[k + 3 * hidden] = g[e] * tc * o * (1 - o);
    dc[e] = dcn * f;
  }
  return { out, dGates, dc };
}

describe.each(DEVICES)("lstmCell on $device", ({ device, available }) => {
  for (const shape of [[3, 5], [7]])
    it.skipIf(!available)(
      `outputs and gradients match float64 loops, c ${JSON.stringify(shape)}`,
      async () => {
        const hidden = shape[shape.length - 1];
        const n = shape.reduce((a, b) => a * b, 1);
        const gateShape = [...shape.slice(0, -1), 4 * hidden];
        const [giV, ghV, cV, gV] = [
          ramp(4 * n, -3, 3, 1),
          ramp(4 * n, -2, 2, 2),
          ramp(n, -2, 2, 3),
          ramp(2 * n, -1, 1, 4),
        ];
        const leaf = (v: number[], s: number[]) =>
          dl.tensor(v, { device }).reshape(s).requiresGrad_();
        const [gi, gh, c] = [leaf(giV, gateShape), leaf(ghV, gateShape), leaf(cV, shape)];
        const out = lstmCell(gi, gh, c);
        expect(out.shape).toEqual([2, ...shape]);
        out.backward(dl.tensor(gV, { device }).reshape([2, ...shape]));
        const ref = reference(giV, ghV, cV, gV, hidden);
        expectRelClose(await out.data(), ref.out, 1e-5);
        expectRelClose(await gi.grad!.data(), ref.dGates, 1e-5);
        expectRelClose(await gh.grad!.data(), ref.dGates, 1e-5);
        expectRelClose(await c.grad!.data(), ref.dc, 1e-5);
      },
    );

  it.skipIf(!available)("second derivatives (createGraph) match finite differences", async () => {
    const [b, hidden] = [2, 3];
    const gh = dl.tensor(ramp(4 * b * hidden, -1, 1, 5), { device }).reshape([b, 4 * hidden]);
    const c = dl.tensor(ramp(b * hidden, -1, 1, 6), { device }).reshape([b, hidden]);
    const g = dl.tensor(ramp(2 * b * hidden, -1, 1, 7), { device }).reshape([2, b, hidden]);
    const v = dl.tensor(ramp(4 * b * hidden, -1, 1, 8), { device }).reshape([b, 4 * hidden]);
    const x0 = dl.tensor(ramp(4 * b * hidden, -2, 2, 9), { device }).reshape([b, 4 * hidden]);
    const gradAt = async (x: dl.Tensor) => {
      const xx = x.detach().requiresGrad_();
      lstmCell(xx, gh, c).backward(g);
      return (await xx.grad!.data()) as Float32Array;
    };
    const xx = x0.detach().requiresGrad_();
    lstmCell(xx, gh, c).backward(g, { createGraph: true });
    const gx = xx.grad!;
    xx.grad = null;
    gx.mul(v).sum().backward();
    const h = 1e-2;
    const plus = await gradAt(x0.add(v.mul(h)));
    const minus = await gradAt(x0.sub(v.mul(h)));
    expectRelClose(
      await xx.grad!.data(),
      Array.from(plus, (p, i) => (p - minus[i]) / (2 * h)),
      2e-3,
    );
  });

  it.skipIf(!available)("mismatched shapes are an error naming lstmCell", () => {
    const z = (s: number[]) => dl.zeros(s, { device });
    expect(() => lstmCell(z([2, 8]), z([2, 8]), z([2, 3]))).toThrow(/lstmCell.*\[2, 8\].*\[2, 3\]/);
  });
});
