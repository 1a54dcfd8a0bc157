// The fused cross-entropy primitive (log-softmax + NLL in one pass, softmax − target in one
// more) against float64 loops, on every device that starts: per-row losses and gradients
// with class weights, ignoreIndex and label smoothing, rows large enough to need the max
// shift, second derivatives through the composed gradient (createGraph), and the errors.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { softmaxCrossEntropy } from "../../src/ops/cross-entropy.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp, expectRelClose } from "../helpers/spread.js";

const F = dl.nn.functional;

/** A deterministic float64 array of n values in [lo, hi). */
interface Case {
  rows: number;
  classes: number;
  logits: number[];
  targets: number[];
  weight: number[];
  ignore: number;
  eps: number;
}

/** Per-row loss and ∂loss/∂x in float64, straight from the definition −Σ_c w_c·q_c·log p_c. */
function reference(c: Case, g: number[]): { loss: number[]; grad: number[] } {
  const { rows, classes: k } = c;
  const loss: number[] = [];
  const grad: number[] = new Array(rows * k).fill(0);
  for (let n = 0; n < rows; n++) {
    const x = c.logits.slice(n * k, (n + 1) * k);
    const t = c.targets[n];
    if (t === c.ignore) {
      loss.push(0);
      continue;
    }
    const m = Math.max(...x);
    const lse = m + Math.log(x.reduce((s, v) => s + Math.exp(v - m), 0));
    const q = x.map((_, j) => (1 - c.eps) * (j === t ? 1 : 0) + c.eps / k);
    loss.push(x.reduce((s, v, j) => s - c.weight[j] * q[j] * (v - lse), 0));
    const total = q.reduce((s, qj, j) => s + c.weight[j] * qj, 0);
    for (let j = 0; j < k; j++)
      grad[n * k + j] = g[n] * (Math.exp(x[j] - lse) * total - c.weight[j] * q[j]);
  }
  return { loss, grad };
}

const CASES: Case[] = [
  {
    rows: 7,
    classes: 5,
    logits: ramp(35, -4, 4, 1),
    targets: [0, 4, 2, -100, 1, 4, 3],
    weight: [1, 1, 1, 1, 1],
    ignore: -100,
    eps: 0,
  },
  {
    rows: 5,
    classes: 130,
    // Large logits: without the max shift e^x overflows float32.
    logits: ramp(650, 60, 120, 2),
    targets: [129, 0, 64, 2, 7],
    weight: ramp(130, 0.2, 2, 3),
    ignore: 2,
    eps: 0.15,
  },
];

describe.each(DEVICES)("softmaxCrossEntropy on $device", ({ device, available }) => {
  for (const [i, c] of CASES.entries())
    it.skipIf(!available)(`loss and gradient match float64 loops (case ${i})`, async () => {
      const x = dl.tensor(c.logits, { device }).reshape([c.rows, c.classes]).requiresGrad_();
      const t = dl.tensor(c.targets, { dtype: "int32", device });
      const w = dl.tensor(c.weight, { dtype: "float32", device });
      const g = ramp(c.rows, -1, 2, 4);
      const attrs = { ignoreIndex: c.ignore, smoothing: c.eps };
      const loss = softmaxCrossEntropy(x, t, w, attrs);
      loss.backward(dl.tensor(g, { device }));
      const ref = reference(c, g);
      expectRelClose(await loss.data(), ref.loss, 1e-5);
      expectRelClose(await x.grad!.data(), ref.grad, 1e-5);
    });

  it.skipIf(!available)(
    "F.crossEntropy's second derivative matches finite differences",
    async () => {
      const c = CASES[1];
      const x0 = dl
        .tensor(c.logits.slice(0, 3 * 130), { device })
        .reshape([3, 130])
        .mul(0.05);
      const t = dl.tensor([5, 129, 2], { dtype: "int32", device });
      const w = dl.tensor(c.weight, { dtype: "float32", device });
      const opts = { weight: w, ignoreIndex: 2, labelSmoothing: 0.1 };
      const v = dl.tensor(ramp(390, -1, 1, 5), { device }).reshape([3, 130]);
      // H·v (H the Hessian, by double backward) against a central difference of ∂L/∂x along v.
      const xx = x0.detach().requiresGrad_();
      F.crossEntropy(xx, t, opts).backward(undefined, { createGraph: true });
      const gx = xx.grad!;
      xx.grad = null;
      gx.mul(v).sum().backward();
      const h = 1e-2;
      const gPlus = await fusedGrad(x0.add(v.mul(h)), t, opts);
      const gMinus = await fusedGrad(x0.sub(v.mul(h)), t, opts);
      const fd = Array.from(gPlus, (p, i) => (p - gMinus[i]) / (2 * h));
      expectRelClose(await xx.grad!.data(), fd, 2e-3);
    },
  );

  it.skipIf(!available)("an out-of-range class is an error naming crossEntropy", async () => {
    const x = dl.zeros([2, 3], { device });
    const bad = dl.tensor([0, 3], { dtype: "int32", device });
    if (device === "cpu") {
      expect(() => F.crossEntropy(x, bad)).toThrow(/crossEntropy: target class 3 is out of range/);
      return;
    }
    await expect(F.crossEntropy(x, bad).data()).rejects.toThrow(/crossEntropy.*index 3/);
  });
});

async function fusedGrad(
  x: dl.Tensor,
  t: dl.Tensor,
  opts: dl.nn.functional.CrossEntropyOptions,
): Promise<Float32Array> {
  const xx = x.detach().requiresGrad_();
  F.crossEntropy(xx, t, opts).backward();
  return (await xx.grad!.data()) as Float32Array;
}
