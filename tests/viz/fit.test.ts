import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

/** Plain SGD written here so the test depends only on autograd. */
function sgd(model: dl.nn.Module, lr: number) {
  return {
    step: () =>
      dl.noGrad(() =>
        model.parameters().forEach((p) => p.grad && p._assign(p.sub(p.grad.mul(lr)))),
      ),
    zeroGrad: () => model.zeroGrad(),
  };
}

describe("dl.fit", () => {
  it("trains, records every metric per epoch and restores the training mode", async () => {
    dl.manualSeed(0);
    const x = dl.randn([128, 2]);
    const y = x.select(1, 0).add(x.select(1, 1)).gt(0).int();
    const batches = dl
      .split(x, 32)
      .map((xb, i) => [xb, y.narrow(0, i * 32, 32)] as [dl.Tensor, dl.Tensor]);
    const model = new dl.nn.Sequential(new dl.nn.Linear(2, 2));
    const ce = (p: dl.Tensor, t: dl.Tensor) =>
      p.logSoftmax(1).gather(1, t.unsqueeze(1)).neg().mean();
    const epochs: number[] = [];
    const h = await dl.fit(model, {
      train: batches,
      val: batches.slice(0, 1),
      loss: ce,
      optimizer: sgd(model, 0.5),
      epochs: 6,
      metrics: ["accuracy"],
      display: false,
      onEpochEnd: (e) => epochs.push(e),
    });
    expect(Object.keys(h).sort()).toEqual(["accuracy", "loss", "valAccuracy", "valLoss"]);
    expect(h.loss).toHaveLength(6);
    expect(h.loss[5]).toBeLessThan(h.loss[0]);
    expect(h.accuracy[5]).toBeGreaterThan(0.9);
    expect(epochs).toEqual([0, 1, 2, 3, 4, 5]);
    expect(model.training).toBe(true);
    // The reported accuracy is the fraction of correct argmax predictions.
    const pred = dl.noGrad(() => model.forward(batches[0][0]).argmax(1));
    const acc = pred.eq(batches[0][1]).float().mean().itemSync();
    expect(h.valAccuracy[5]).toBeCloseTo(acc, 6);
  });

  it("rejects a bad epoch count", async () => {
    const model = new dl.nn.Linear(1, 1);
    await expect(
      dl.fit(model, { train: [], loss: (p) => p.sum(), optimizer: sgd(model, 1), epochs: 0 }),
    ).rejects.toThrow(/fit: epochs/);
  });
});
