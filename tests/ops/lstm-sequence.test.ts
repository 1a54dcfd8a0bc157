// The whole-sequence LSTM primitive against the same recurrence composed step by step from
// matmul and the lstmCell primitive (values and every input's gradient, both directions, an
// upstream gradient on every step's h and c), against finite differences, and its second
// derivatives (createGraph, through the composed backward) against finite differences of
// the first. The layers' float64 reference (tests/nn/layers-seq.test.ts) runs through it too.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { lstmSequence } from "../../src/ops/lstm-sequence.js";
import { lstmCell } from "../../src/ops/lstm-cell.js";
import { ramp } from "../helpers/spread.js";

/** A deterministic array of n values in [lo, hi). */
const [T, B, H] = [5, 3, 4];
const G = 4 * H;
const shapes = [[T, B, G], [B, H], [B, H], [G, H], [G]];
const operands = () =>
  shapes.map((s, k) =>
    dl
      .tensor(
        ramp(
          s.reduce((a, b) => a * b, 1),
          -1.5,
          1.5,
          k + 1,
        ),
      )
      .reshape(s)
      .requiresGrad_(),
  );

/** The recurrence step by step from matmul and lstmCell, stacked as lstmSequence's output. */
function composed([xg, h0, c0, w, b]: dl.Tensor[], reverse: boolean): dl.Tensor {
  const hs = new Array<dl.Tensor>(T);
  const cs = new Array<dl.Tensor>(T);
  let [h, c] = [h0, c0];
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const next = lstmCell(xg.select(0, t).contiguous(), h.matmul(w.transpose(0, 1)).add(b), c);
    [h, c] = [next.select(0, 0), next.select(0, 1)];
    [hs[t], cs[t]] = [h, c];
  }
  return dl.stack([dl.stack(hs, 0), dl.stack(cs, 0)], 0);
}

const upstream = dl.tensor(ramp(2 * T * B * H, -1, 1, 9)).reshape([2, T, B, H]);

describe("lstmSequence", () => {
  for (const reverse of [false, true])
    it(`equals the step-by-step composition, values and gradients (reverse ${reverse})`, () => {
      const fused = operands();
      const [xg, h0, c0, w, b] = fused;
      const out = lstmSequence(xg, h0, c0, w, b, { reverse });
      out.backward(upstream);
      const steps = operands();
      const ref = composed(steps, reverse);
      ref.backward(upstream);
      const close = (a: dl.Tensor, b: dl.Tensor) =>
        expect(a.sub(b).abs().max().itemSync()).toBeLessThan(1e-5 * (1 + b.abs().max().itemSync()));
      close(out, ref);
      fused.forEach((x, k) => close(x.grad!, steps[k].grad!));
    });

  it("gradients match finite differences", () => {
    const xs = operands().map((x) => x.detach());
    for (const reverse of [false, true])
      expect(
        dl.gradcheck(
          (xg, h0, c0, w, b) => lstmSequence(xg, h0, c0, w, b, { reverse }).mul(upstream),
          xs,
          { eps: 1e-2, atol: 2e-3, rtol: 2e-2 },
        ),
      ).toBe(true);
  });

  it("second derivatives (createGraph) match finite differences of the gradient", () => {
    const [xg0, h0, c0, w, b] = operands().map((x) => x.detach());
    const v = dl.tensor(ramp(T * B * G, -1, 1, 11)).reshape([T, B, G]);
    const gradAt = (x: dl.Tensor) => {
      const xx = x.detach().requiresGrad_();
      lstmSequence(xx, h0, c0, w, b, { reverse: false }).backward(upstream);
      return xx.grad!.dataSync() as Float32Array;
    };
    const xx = xg0.detach().requiresGrad_();
    lstmSequence(xx, h0, c0, w.requiresGrad_(), b.requiresGrad_(), { reverse: false }).backward(
      upstream,
      {
        createGraph: true,
      },
    );
    const gx = xx.grad!;
    xx.grad = null;
    gx.mul(v).sum().backward();
    const step = 1e-2;
    const plus = gradAt(xg0.add(v.mul(step)));
    const minus = gradAt(xg0.sub(v.mul(step)));
    const analytic = xx.grad!.dataSync();
    plus.forEach((p, i) =>
      expect(Math.abs(analytic[i] - (p - minus[i]) / (2 * step))).toBeLessThan(3e-3),
    );
  });

  it("mismatched shapes are an error naming lstmSequence and the shapes", () => {
    const z = (s: number[]) => dl.zeros(s);
    expect(() =>
      lstmSequence(z([T, B, G]), z([B, H + 1]), z([B, H]), z([G, H]), z([G]), { reverse: false }),
    ).toThrow(/lstmSequence.*\[3, 5\]/);
  });
});
