// Each scheduler's learning-rate sequence against its published closed form, and against
// sequences recorded from PyTorch 1.13 (torch.optim.lr_scheduler, one SGD/Adam param group,
// lr read before each optimizer.step(); scheduler.step()).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const S = dl.optim.lrScheduler;

const param = () => new dl.nn.Parameter(dl.zeros([1]));

function lrs(
  opt: dl.optim.Optimizer<any, any>,
  sched: { step(): void },
  n: number,
  group = 0,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(opt.paramGroups[group].lr);
    opt.step();
    sched.step();
  }
  return out;
}

function expectSeq(got: number[], want: number[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((v, i) => expect(v, `${what} at epoch ${i}`).toBeCloseTo(want[i], 12));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe("closed forms", () => {
  it("StepLR: lr·γ^⌊e/stepSize⌋", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const sched = new S.StepLR(opt, { stepSize: 3, gamma: 0.5 });
    expectSeq(
      lrs(opt, sched, 10),
      range(10).map((e) => 0.5 ** Math.floor(e / 3)),
      "StepLR",
    );
    expect(sched.getLastLr()).toEqual([0.5 ** 3]);
  });

  it("MultiStepLR: lr·γ^(milestones passed), a repeated milestone decays twice", () => {
    const opt = new dl.optim.SGD([param()], { lr: 2 });
    const sched = new S.MultiStepLR(opt, { milestones: [5, 2, 5], gamma: 0.1 });
    const passed = (e: number) => [2, 5, 5].filter((m) => m <= e).length;
    expectSeq(
      lrs(opt, sched, 8),
      range(8).map((e) => 2 * 0.1 ** passed(e)),
      "MultiStepLR",
    );
  });

  it("ExponentialLR: lr·γᵉ (short form: the gamma alone)", () => {
    const opt = new dl.optim.Adam([param()], { lr: 0.1 });
    const sched = new S.ExponentialLR(opt, 0.9);
    expectSeq(
      lrs(opt, sched, 6),
      range(6).map((e) => 0.1 * 0.9 ** e),
      "ExponentialLR",
    );
  });

  it("CosineAnnealingLR: η_min + (η₀ − η_min)(1 + cos(πe/T))/2, past T as well", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const sched = new S.CosineAnnealingLR(opt, { tMax: 4, etaMin: 0.1 });
    const want = range(14).map((e) => 0.1 + (0.9 * (1 + Math.cos((Math.PI * e) / 4))) / 2);
    expectSeq(lrs(opt, sched, 14), want, "CosineAnnealingLR");
  });

  it("LambdaLR: η₀·λ(e), one function per param group", () => {
    const [a, b] = [param(), param()];
    const opt = new dl.optim.SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 1 });
    const sched = new S.LambdaLR(opt, [(e) => 1 / (e + 1), (e) => 0.95 ** e]);
    const seen: number[][] = [];
    for (let e = 0; e < 5; e++) {
      seen.push(opt.paramGroups.map((g) => g.lr));
      sched.step();
    }
    seen.forEach(([x, y], e) => {
      expect(x).toBeCloseTo(1 / (e + 1), 12);
      expect(y).toBeCloseTo(0.5 * 0.95 ** e, 12);
    });
    expect(() => new S.LambdaLR(opt, [(e) => e])).toThrow(
      /LambdaLR: expected one function or 2 functions/,
    );
  });

  it("schedulers chain: StepLR then ExponentialLR multiply", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const a = new S.StepLR(opt, 2);
    const b = new S.ExponentialLR(opt, 0.5);
    const seen: number[] = [];
    for (let e = 0; e < 5; e++) {
      seen.push(opt.paramGroups[0].lr);
      a.step();
      b.step();
    }
    expectSeq(
      seen,
      range(5).map((e) => 0.1 ** Math.floor(e / 2) * 0.5 ** e),
      "chained",
    );
  });
});

// Recorded from PyTorch 1.13: [lr, momentum or β₁] before each step.
const ONE_CYCLE_SGD = [
  [0.020000000000000018, 0.95],
  [0.26, 0.8999999999999999],
  [0.5, 0.85],
  [0.47524231600673683, 0.854951556604879],
  [0.40587282697488153, 0.8688255099070633],
  [0.30563101096814466, 0.8888739533021842],
  [0.19437098903185537, 0.9111260466978157],
  [0.09412917302511849, 0.9311744900929366],
  [0.024759683993263143, 0.945048443395121],
  [2e-6, 0.95],
];
const ONE_CYCLE_ADAM_3PHASE = [
  [0.03, 0.9],
  [0.165, 0.85],
  [0.3, 0.8],
  [0.165, 0.85],
  [0.03, 0.9],
  [0.025757142857142857, 0.9],
  [0.021514285714285715, 0.9],
  [0.017271428571428573, 0.9],
  [0.013028571428571431, 0.9],
  [0.008785714285714286, 0.9],
  [0.004542857142857147, 0.9],
  [0.0003, 0.9],
];

describe("OneCycleLR", () => {
  const cycle = (opt: dl.optim.Optimizer<any, any>, sched: { step(): void }, n: number) => {
    const out: number[][] = [];
    for (let i = 0; i < n; i++) {
      const g = opt.paramGroups[0];
      out.push([g.lr, g.momentum ?? g.betas[0]]);
      opt.step();
      sched.step();
    }
    return out;
  };
  const expectPairs = (got: number[][], want: number[][]) =>
    got.forEach((pair, i) =>
      pair.forEach((v, j) => expect(v, `step ${i}`).toBeCloseTo(want[i][j], 12)),
    );

  it("cosine, two phases, SGD momentum cycled (PyTorch's sequence)", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1, momentum: 0.9 });
    const sched = new S.OneCycleLR(opt, { maxLr: 0.5, totalSteps: 10 });
    expectPairs(cycle(opt, sched, 10), ONE_CYCLE_SGD);
  });

  it("linear, three phases, Adam β₁ cycled, epochs × stepsPerEpoch (PyTorch's sequence)", () => {
    const opt = new dl.optim.Adam([param()], { lr: 1 });
    const sched = new S.OneCycleLR(opt, {
      maxLr: 0.3,
      epochs: 3,
      stepsPerEpoch: 4,
      pctStart: 0.25,
      annealStrategy: "linear",
      threePhase: true,
      divFactor: 10,
      finalDivFactor: 100,
      baseMomentum: 0.8,
      maxMomentum: 0.9,
    });
    expectPairs(cycle(opt, sched, 12), ONE_CYCLE_ADAM_3PHASE);
    expect(opt.paramGroups[0].betas[1]).toBe(0.999);
  });

  it("stepping past totalSteps is an error; so is a missing length", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1, momentum: 0.9 });
    const sched = new S.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 2, cycleMomentum: false });
    sched.step();
    sched.step();
    expect(() => sched.step()).toThrow(
      /tried to step 3 times; the specified number of total steps is 2/,
    );
    expect(() => new S.OneCycleLR(opt, { maxLr: 0.1 })).toThrow(
      /either totalSteps or both epochs and stepsPerEpoch/,
    );
    const noMomentum = new dl.optim.Adagrad([param()]);
    expect(() => new S.OneCycleLR(noMomentum, { maxLr: 0.1, totalSteps: 5 })).toThrow(
      /momentum or beta1/,
    );
  });
});

describe("ReduceLROnPlateau", () => {
  const run = (
    opt: dl.optim.Optimizer<any, any>,
    sched: dl.optim.lrScheduler.ReduceLROnPlateau,
    metrics: number[],
  ) =>
    metrics.map((m) => {
      const lr = opt.paramGroups[0].lr;
      sched.step(m);
      return lr;
    });

  it("min mode with patience, cooldown and a floor (PyTorch's sequence)", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const sched = new S.ReduceLROnPlateau(opt, {
      patience: 1,
      cooldown: 1,
      factor: 0.5,
      minLr: 0.2,
    });
    const metrics = [
      1.0, 0.9, 0.95, 0.91, 0.92, 0.93, 0.8, 0.85, 0.86, 0.87, 0.88, 0.89, 0.9, 0.91,
    ];
    const want = [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.2, 0.2];
    expectSeq(run(opt, sched, metrics), want, "plateau min");
  });

  it("max mode with an absolute threshold (PyTorch's sequence)", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const sched = new S.ReduceLROnPlateau(opt, {
      mode: "max",
      patience: 0,
      threshold: 0.05,
      thresholdMode: "abs",
    });
    const want = [1, 1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.0001];
    expectSeq(run(opt, sched, [1, 1.04, 1.2, 1.21, 1.3, 1.3, 1.3, 1.4]), want, "plateau max");
    expect(() => new S.ReduceLROnPlateau(opt, { factor: 1 })).toThrow(/factor should be < 1.0/);
  });
});

describe("scheduler state", () => {
  it("a StepLR resumed from its state dict continues the sequence (PyTorch's pattern)", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    const a = new S.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    for (let i = 0; i < 3; i++) a.step();
    const saved = a.stateDict();
    expect(saved.lastEpoch).toBe(3);
    const opt2 = new dl.optim.SGD([param()], { lr: 1 });
    opt2.loadStateDict(opt.stateDict());
    const b = new S.StepLR(opt2, { stepSize: 2, gamma: 0.5 });
    b.loadStateDict(saved);
    a.step();
    b.step();
    expect(opt2.paramGroups[0].lr).toBe(opt.paramGroups[0].lr);
    expect(opt.paramGroups[0].lr).toBe(0.25);
  });

  it("resuming without initialLr in the groups is an error", () => {
    const opt = new dl.optim.SGD([param()], { lr: 1 });
    expect(() => new S.ExponentialLR(opt, { gamma: 0.9, lastEpoch: 4 })).toThrow(
      /has no initialLr/,
    );
  });
});
