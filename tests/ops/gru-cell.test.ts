// The fused GRU cell primitive against float64 loops of PyTorch's equations, on every device
// that starts: h' and the gradients of gi, gh and h for a random upstream gradient, an
// unbatched cell, and second derivatives through the composed gradient (createGraph).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { gruCell } from "../../src/ops/gru-cell.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp, expectRelClose } from "../helpers/spread.js";

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** h' and the gradients (∂gi, ∂gh, ∂h) for upstream g, by the chain rule in float64. */
function reference(gi: number[], gh: number[], h: number[], g: number[], H: number) {
  const n = h.length;
  const out = new Array(n).fill(0);
  const [dgi, dgh] = [new Array(3 * n).fill(0), new Array(3 * n).fill(0)];
  const dh = new Array(n).fill(0);
  for (let e = 0; e < n; e++) {
    const k = Math.floor(e / H) * 3 * H + (e % H);
    const r = sig(gi[k] + gh[k]);
    const z = sig(gi[k + H] + gh[k + H]);
    const nn = Math.tanh(gi[k + 2 * H] + r * gh[k + 2 * H]);
    out[e] = (1 - z) * nn + z * h[e];
    const dPreN = g[e] * (1 - z) * (1 - nn * nn);
    const dPreR = dPreN * gh[k + 2 * H] * r * (1 - r);
    const dPreZ = g[e] * (h[e] - nn) * z * (1 - z);
    [dgi[k], dgi[k + H], dgi[k + 2 * H]] = [dPreR, dPreZ, dPreN];
    [dgh[k], dgh[k + H], dgh[k + 2 * H]] = [dPreR, dPreZ, dPreN * r];
    dh[e] = g[e] * z;
  }
  return { out, dgi, dgh, dh };
}

describe.each(DEVICES)("gruCell on $device", ({ device, available }) => {
  for (const shape of [[3, 5], [7]])
    it.skipIf(!available)(
      `output and gradients match float64 loops, h ${JSON.stringify(shape)}`,
      async () => {
        const H = shape[shape.length - 1];
        const n = shape.reduce((a, b) => a * b, 1);
        const gateShape = [...shape.slice(0, -1), 3 * H];
        const [giV, ghV, hV, gV] = [
          ramp(3 * n, -3, 3, 1),
          ramp(3 * n, -2, 2, 2),
          ramp(n, -1, 1, 3),
          ramp(n, -1, 1, 4),
        ];
        const leaf = (v: number[], s: number[]) =>
          dl.tensor(v, { device }).reshape(s).requiresGrad_();
        const [gi, gh, h] = [leaf(giV, gateShape), leaf(ghV, gateShape), leaf(hV, shape)];
        const out = gruCell(gi, gh, h);
        expect(out.shape).toEqual(shape);
        out.backward(dl.tensor(gV, { device }).reshape(shape));
        const ref = reference(giV, ghV, hV, gV, H);
        expectRelClose(await out.data(), ref.out, 1e-5);
        expectRelClose(await gi.grad!.data(), ref.dgi, 1e-5);
        expectRelClose(await gh.grad!.data(), ref.dgh, 1e-5);
        expectRelClose(await h.grad!.data(), ref.dh, 1e-5);
      },
    );

  it.skipIf(!available)("second derivatives (createGraph) match finite differences", async () => {
    const [b, H] = [2, 3];
    const gi = dl.tensor(ramp(3 * b * H, -1, 1, 5), { device }).reshape([b, 3 * H]);
    const h = dl.tensor(ramp(b * H, -1, 1, 6), { device }).reshape([b, H]);
    const g = dl.tensor(ramp(b * H, -1, 1, 7), { device }).reshape([b, H]);
    const v = dl.tensor(ramp(3 * b * H, -1, 1, 8), { device }).reshape([b, 3 * H]);
    const x0 = dl.tensor(ramp(3 * b * H, -2, 2, 9), { device }).reshape([b, 3 * H]);
    // The hidden projection is the variable: it enters through the reset product too.
    const gradAt = async (x: dl.Tensor) => {
      const xx = x.detach().requiresGrad_();
      gruCell(gi, xx, h).backward(g);
      return (await xx.grad!.data()) as Float32Array;
    };
    const xx = x0.detach().requiresGrad_();
    gruCell(gi, xx, h).backward(g, { createGraph: true });
    const gx = xx.grad!;
    xx.grad = null;
    gx.mul(v).sum().backward();
    const eps = 1e-2;
    const plus = await gradAt(x0.add(v.mul(eps)));
    const minus = await gradAt(x0.sub(v.mul(eps)));
    expectRelClose(
      await xx.grad!.data(),
      Array.from(plus, (p, i) => (p - minus[i]) / (2 * eps)),
      2e-3,
    );
  });

  it.skipIf(!available)("mismatched shapes are an error naming gruCell", () => {
    const z = (s: number[]) => dl.zeros(s, { device });
    expect(() => gruCell(z([2, 9]), z([2, 9]), z([2, 3]))).not.toThrow();
    expect(() => gruCell(z([2, 8]), z([2, 8]), z([2, 3]))).toThrow(/gruCell.*\[2, 8\].*\[2, 3\]/);
  });
});
