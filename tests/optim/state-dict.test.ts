// Optimizer state dicts: PyTorch's layout (state keyed by parameter index, groups holding
// index lists), snapshots that later steps do not change, and a round trip after which a
// restored optimizer continues exactly where the saved one was.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

function model(seed: number): dl.nn.Sequential {
  dl.manualSeed(seed);
  return new dl.nn.Sequential(new dl.nn.Linear(3, 4), new dl.nn.Linear(4, 2));
}

const X = () =>
  dl.tensor(
    [
      [0.5, -1, 2],
      [1, 0.3, -0.7],
    ],
    { dtype: "float32" },
  );

function trainStep(m: dl.nn.Sequential, opt: dl.optim.Optimizer<any, any>): void {
  opt.zeroGrad();
  const out = m.forward(X());
  dl.sum(dl.mul(out, out)).backward();
  opt.step();
}

const values = (ts: Tensor[]) => ts.map((t) => [...t.dataSync()]);

const makers: [string, (p: dl.nn.Parameter[]) => dl.optim.Optimizer<any, any>][] = [
  ["SGD", (p) => new dl.optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
  ["Adam", (p) => new dl.optim.Adam(p, { lr: 0.05, amsgrad: true })],
  ["AdamW", (p) => new dl.optim.AdamW(p, { lr: 0.05 })],
  ["RMSprop", (p) => new dl.optim.RMSprop(p, { centered: true, momentum: 0.5 })],
  ["Adagrad", (p) => new dl.optim.Adagrad(p, { lrDecay: 0.01 })],
];

describe("optimizer state dicts", () => {
  it("has PyTorch's layout", () => {
    const m = model(1);
    const [w0, b0, w1, b1] = m.parameters();
    const opt = new dl.optim.Adam([{ params: [w0, b0] }, { params: [w1, b1], lr: 0.01 }]);
    trainStep(m, opt);
    trainStep(m, opt);
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(sd.paramGroups[1]).toMatchObject({
      lr: 0.01,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      amsgrad: false,
    });
    expect(Object.keys(sd.state)).toEqual(["0", "1", "2", "3"]);
    expect(sd.state[2].step).toBe(2);
    expect((sd.state[2].expAvg as Tensor).shape).toEqual([2, 4]);
  });

  it("is a snapshot: later steps do not change or free it", () => {
    const m = model(2);
    const opt = new dl.optim.Adam(m.parameters(), { lr: 0.1 });
    trainStep(m, opt);
    const sd = opt.stateDict();
    const saved = [...(sd.state[0].expAvg as Tensor).dataSync()];
    trainStep(m, opt);
    trainStep(m, opt);
    expect([...(sd.state[0].expAvg as Tensor).dataSync()]).toEqual(saved);
    expect(sd.state[0].step).toBe(1);
  });

  for (const [name, make] of makers)
    it(`${name}: a restored optimizer continues exactly like the original`, () => {
      const a = model(3);
      const optA = make(a.parameters());
      trainStep(a, optA);
      trainStep(a, optA);
      const b = model(99);
      b.loadStateDict(a.stateDict());
      const optB = make(b.parameters());
      optB.loadStateDict(optA.stateDict());
      for (let i = 0; i < 2; i++) {
        trainStep(a, optA);
        trainStep(b, optB);
      }
      expect(values(b.parameters())).toEqual(values(a.parameters()));
    });

  it("loading restores hyperparameters changed since construction (e.g. by a scheduler)", () => {
    const a = model(4);
    const optA = new dl.optim.SGD(a.parameters(), { lr: 1 });
    new dl.optim.lrScheduler.StepLR(optA, { stepSize: 1, gamma: 0.5 }).step();
    const optB = new dl.optim.SGD(model(4).parameters(), { lr: 1 });
    optB.loadStateDict(optA.stateDict());
    expect(optB.paramGroups[0].lr).toBe(0.5);
    expect(optB.paramGroups[0].initialLr).toBe(1);
  });

  it("a state dict for a different layout is refused", () => {
    const m = model(5);
    const [w0, b0, w1, b1] = m.parameters();
    const two = new dl.optim.SGD([{ params: [w0, b0] }, { params: [w1, b1] }], { lr: 0.1 });
    const one = new dl.optim.SGD(m.parameters(), { lr: 0.1 });
    const small = new dl.optim.SGD([w0], { lr: 0.1 });
    expect(() => one.loadStateDict(two.stateDict())).toThrow(
      /SGD: loaded state dict has 2 parameter groups, the optimizer has 1/,
    );
    expect(() => small.loadStateDict(one.stateDict())).toThrow(
      /group \(0\) of 4 parameters where the optimizer's has 1/,
    );
  });
});
