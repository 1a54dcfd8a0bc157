// The whole-sequence GRU primitive against the same recurrence composed step by step from
// matmul and the gruCell primitive (values and every input's gradient, both directions, an
// upstream gradient on every step's h), against finite differences, its second derivatives
// (createGraph, through the composed backward) against finite differences of the first, and
// a second backward through a retained graph (the projections recomputed, not kept). The
// layers' float64 reference (tests/nn/layers-seq.test.ts) runs nn.GRU through it too.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { gruSequence } from "../../src/ops/gru-sequence.js";
import { gruCell } from "../../src/ops/gru-cell.js";
import { ramp } from "../helpers/spread.js";
import { Node } from "../../src/autograd/node.js";

const [T, B, H] = [5, 3, 4];
const G = 3 * H;
const shapes = [[T, B, G], [B, H], [G, H], [G]];
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

/** The recurrence step by step from matmul and gruCell, stacked as gruSequence's output. */
function composed([xg, h0, w, b]: dl.Tensor[], reverse: boolean): dl.Tensor {
  const hs = new Array<dl.Tensor>(T);
  let h = h0;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    h = gruCell(xg.select(0, t).contiguous(), h.matmul(w.transpose(0, 1)).add(b), h);
    hs[t] = h;
  }
  return dl.stack(hs, 0);
}

/** The names of every op in the graph behind t. */
function opsBehind(t: dl.Tensor): Set<string> {
  const seen = new Set<unknown>();
  const ops = new Set<string>();
  const walk = (node: Node | null) => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    ops.add(node.op);
    node.edges.forEach((e) => walk(e instanceof Node ? e : null));
  };
  walk(t.gradFn as Node | null);
  return ops;
}

const upstream = dl.tensor(ramp(T * B * H, -1, 1, 9)).reshape([T, B, H]);
const close = (a: dl.Tensor, b: dl.Tensor) =>
  expect(a.sub(b).abs().max().itemSync()).toBeLessThan(1e-5 * (1 + b.abs().max().itemSync()));

describe("gruSequence", () => {
  for (const reverse of [false, true])
    it(`equals the step-by-step composition, values and gradients (reverse ${reverse})`, () => {
      const fused = operands();
      const [xg, h0, w, b] = fused;
      const out = gruSequence(xg, h0, w, b, { reverse });
      out.backward(upstream);
      const steps = operands();
      const ref = composed(steps, reverse);
      ref.backward(upstream);
      close(out, ref);
      fused.forEach((x, k) => close(x.grad!, steps[k].grad!));
    });

  it("a second backward through a retained graph gives the same gradients", () => {
    const xs = operands();
    const out = gruSequence(xs[0], xs[1], xs[2], xs[3], { reverse: false });
    out.backward(upstream, { retainGraph: true });
    const first = xs.map((x) => x.grad!.clone());
    xs.forEach((x) => (x.grad = null));
    out.backward(upstream);
    xs.forEach((x, k) => close(x.grad!, first[k]));
  });

  it("gradients match finite differences", () => {
    const xs = operands().map((x) => x.detach());
    for (const reverse of [false, true])
      expect(
        dl.gradcheck((xg, h0, w, b) => gruSequence(xg, h0, w, b, { reverse }).mul(upstream), xs, {
          eps: 1e-2,
          atol: 2e-3,
          rtol: 2e-2,
        }),
      ).toBe(true);
  });

  it("second derivatives (createGraph) match finite differences of the gradient", () => {
    const [xg0, h0, w, b] = operands().map((x) => x.detach());
    const v = dl.tensor(ramp(T * B * G, -1, 1, 11)).reshape([T, B, G]);
    const gradAt = (x: dl.Tensor) => {
      const xx = x.detach().requiresGrad_();
      gruSequence(xx, h0, w, b, { reverse: true }).backward(upstream);
      return xx.grad!.dataSync() as Float32Array;
    };
    const xx = xg0.detach().requiresGrad_();
    gruSequence(xx, h0, w.requiresGrad_(), b.requiresGrad_(), { reverse: true }).backward(
      upstream,
      { createGraph: true },
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

  it("nn.GRU runs its directions through gruSequence and matches the step-by-step layer", () => {
    dl.manualSeed(3);
    const gru = new dl.nn.GRU(3, H, { numLayers: 2, bidirectional: true, batchFirst: true });
    const x = dl.tensor(ramp(B * T * 3, -2, 2, 5)).reshape([B, T, 3]);
    const [y, hn] = gru.forward(x);
    expect(opsBehind(y).has("gruSequence")).toBe(true);
    expect(opsBehind(y).has("gruCell")).toBe(false);
    y.mul(dl.tensor(ramp(B * T * 2 * H, -1, 1, 6)).reshape([B, T, 2 * H]))
      .sum()
      .add(hn.sum())
      .backward();
    const grads = gru.parameters().map((p) => p.grad!.clone());
    // The same layer through packed sequences of full length takes the per-step path.
    gru.zeroGrad();
    const packed = dl.nn.utils.rnn.packPaddedSequence(x, [T, T, T], { batchFirst: true });
    const [py, phn] = gru.forward(packed);
    expect(opsBehind(phn).has("gruCell")).toBe(true);
    const [padded] = dl.nn.utils.rnn.padPackedSequence(py, { batchFirst: true });
    close(y, padded);
    close(hn, phn);
    padded
      .mul(dl.tensor(ramp(B * T * 2 * H, -1, 1, 6)).reshape([B, T, 2 * H]))
      .sum()
      .add(phn.sum())
      .backward();
    gru.parameters().forEach((p, k) => close(grads[k], p.grad!));
  });

  it("mismatched shapes are an error naming gruSequence and the shapes", () => {
    const z = (s: number[]) => dl.zeros(s);
    expect(() =>
      gruSequence(z([T, B, G]), z([B, H + 1]), z([G, H]), z([G]), { reverse: false }),
    ).toThrow(/gruSequence.*\[3, 5\]/);
  });
});
