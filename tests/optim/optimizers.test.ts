// Each optimizer's first three steps on a fixed problem against the published update rules
// (torch.optim's documented algorithms) written out in plain float64 below.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { assertClose } from "../helpers/check-op.js";

// The problem: f(θ) = Σ aθ²/2 + bθ + cθ³/3 over two tensors, so ∇f = aθ + b + cθ² changes
// from step to step and every term of each rule matters.
const INIT = [
  [0.5, -1.2, 0.8, 2.0, -0.3, 1.1],
  [-0.7, 0.4, 1.5],
];
const A = [
  [1.0, 2.0, 0.5, 1.5, 3.0, 0.7],
  [2.5, 0.3, 1.2],
];
const B = [
  [0.1, -0.4, 0.3, -0.2, 0.5, 0.05],
  [-0.3, 0.2, 0.6],
];
const C = 0.2;

const gradRef = (theta: number[], k: number): number[] =>
  theta.map((t, i) => A[k][i] * t + B[k][i] + C * t * t);

function lossOf(params: Tensor[]): Tensor {
  return params
    .map((p, k) => {
      const a = dl.tensor(A[k], { dtype: "float32" });
      const b = dl.tensor(B[k], { dtype: "float32" });
      const quad = dl.mul(dl.mul(p, p), dl.mul(a, 0.5));
      const cubic = dl.mul(dl.mul(dl.mul(p, p), p), C / 3);
      return dl.sum(dl.add(dl.add(quad, dl.mul(p, b)), cubic));
    })
    .reduce((s, l) => dl.add(s, l));
}

/** A reference optimizer: one float64 update of one tensor, state kept by the caller. */
type RefStep = (theta: number[], g: number[], s: Record<string, any>, t: number) => number[];

const zeros = (n: number) => new Array<number>(n).fill(0);

function sgdRef(o: {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}): RefStep {
  const {
    lr,
    momentum: mu = 0,
    dampening: tau = 0,
    weightDecay: wd = 0,
    nesterov = false,
    maximize = false,
  } = o;
  return (theta, grad, s, t) =>
    theta.map((th, i) => {
      let g = (maximize ? -grad[i] : grad[i]) + wd * th;
      if (mu !== 0) {
        s.b ??= zeros(theta.length);
        s.b[i] = t > 1 ? mu * s.b[i] + (1 - tau) * g : g;
        g = nesterov ? g + mu * s.b[i] : s.b[i];
      }
      return th - lr * g;
    });
}

function adamRef(o: {
  lr?: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  decoupled?: boolean;
}): RefStep {
  const {
    lr = 1e-3,
    betas: [b1, b2] = [0.9, 0.999],
    eps = 1e-8,
    weightDecay: wd = 0,
    amsgrad = false,
    decoupled = false,
  } = o;
  return (theta, grad, s, t) => {
    s.m ??= zeros(theta.length);
    s.v ??= zeros(theta.length);
    s.vmax ??= zeros(theta.length);
    return theta.map((th0, i) => {
      let th = th0;
      let g = grad[i];
      if (decoupled) th *= 1 - lr * wd;
      else g += wd * th;
      s.m[i] = b1 * s.m[i] + (1 - b1) * g;
      s.v[i] = b2 * s.v[i] + (1 - b2) * g * g;
      const mHat = s.m[i] / (1 - b1 ** t);
      s.vmax[i] = Math.max(s.vmax[i], s.v[i]);
      const vHat = (amsgrad ? s.vmax[i] : s.v[i]) / (1 - b2 ** t);
      return th - (lr * mHat) / (Math.sqrt(vHat) + eps);
    });
  };
}

function rmspropRef(o: {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
}): RefStep {
  const {
    lr = 1e-2,
    alpha = 0.99,
    eps = 1e-8,
    weightDecay: wd = 0,
    momentum: mu = 0,
    centered = false,
  } = o;
  return (theta, grad, s) => {
    s.v ??= zeros(theta.length);
    s.gAvg ??= zeros(theta.length);
    s.b ??= zeros(theta.length);
    return theta.map((th, i) => {
      const g = grad[i] + wd * th;
      s.v[i] = alpha * s.v[i] + (1 - alpha) * g * g;
      let vt = s.v[i];
      if (centered) {
        s.gAvg[i] = alpha * s.gAvg[i] + (1 - alpha) * g;
        vt -= s.gAvg[i] ** 2;
      }
      if (mu > 0) {
        s.b[i] = mu * s.b[i] + g / (Math.sqrt(vt) + eps);
        return th - lr * s.b[i];
      }
      return th - (lr * g) / (Math.sqrt(vt) + eps);
    });
  };
}

function adagradRef(o: {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
}): RefStep {
  const {
    lr = 1e-2,
    lrDecay = 0,
    weightDecay: wd = 0,
    initialAccumulatorValue: acc = 0,
    eps = 1e-10,
  } = o;
  return (theta, grad, s, t) => {
    s.sum ??= new Array<number>(theta.length).fill(acc);
    const clr = lr / (1 + (t - 1) * lrDecay);
    return theta.map((th, i) => {
      const g = grad[i] + wd * th;
      s.sum[i] += g * g;
      return th - (clr * g) / (Math.sqrt(s.sum[i]) + eps);
    });
  };
}

interface Case {
  name: string;
  make: (params: Tensor[]) => dl.optim.Optimizer<any, any>;
  ref: RefStep;
}

const cases: Case[] = [
  { name: "SGD", make: (p) => new dl.optim.SGD(p, { lr: 0.1 }), ref: sgdRef({ lr: 0.1 }) },
  {
    name: "SGD momentum",
    make: (p) => new dl.optim.SGD(p, { lr: 0.1, momentum: 0.9 }),
    ref: sgdRef({ lr: 0.1, momentum: 0.9 }),
  },
  {
    name: "SGD momentum + dampening + weightDecay",
    make: (p) => new dl.optim.SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.1 }),
    ref: sgdRef({ lr: 0.05, momentum: 0.8, dampening: 0.3, weightDecay: 0.1 }),
  },
  {
    name: "SGD nesterov + weightDecay",
    make: (p) => new dl.optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    ref: sgdRef({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  },
  {
    name: "SGD maximize",
    make: (p) => new dl.optim.SGD(p, { lr: 0.1, maximize: true }),
    ref: sgdRef({ lr: 0.1, maximize: true }),
  },
  { name: "Adam defaults", make: (p) => new dl.optim.Adam(p), ref: adamRef({}) },
  {
    name: "Adam lr 0.1",
    make: (p) => new dl.optim.Adam(p, { lr: 0.1 }),
    ref: adamRef({ lr: 0.1 }),
  },
  {
    name: "Adam amsgrad + weightDecay + betas + eps",
    make: (p) =>
      new dl.optim.Adam(p, {
        lr: 0.1,
        betas: [0.5, 0.9],
        eps: 1e-3,
        weightDecay: 0.2,
        amsgrad: true,
      }),
    ref: adamRef({ lr: 0.1, betas: [0.5, 0.9], eps: 1e-3, weightDecay: 0.2, amsgrad: true }),
  },
  {
    name: "AdamW defaults (weightDecay 0.01)",
    make: (p) => new dl.optim.AdamW(p, { lr: 0.1 }),
    ref: adamRef({ lr: 0.1, weightDecay: 1e-2, decoupled: true }),
  },
  {
    name: "AdamW amsgrad + weightDecay 0.5",
    make: (p) => new dl.optim.AdamW(p, { lr: 0.1, weightDecay: 0.5, amsgrad: true }),
    ref: adamRef({ lr: 0.1, weightDecay: 0.5, amsgrad: true, decoupled: true }),
  },
  { name: "RMSprop defaults", make: (p) => new dl.optim.RMSprop(p), ref: rmspropRef({}) },
  {
    name: "RMSprop centered + momentum + weightDecay",
    make: (p) =>
      new dl.optim.RMSprop(p, {
        lr: 0.01,
        alpha: 0.9,
        centered: true,
        momentum: 0.9,
        weightDecay: 0.1,
      }),
    ref: rmspropRef({ lr: 0.01, alpha: 0.9, centered: true, momentum: 0.9, weightDecay: 0.1 }),
  },
  { name: "Adagrad defaults", make: (p) => new dl.optim.Adagrad(p), ref: adagradRef({}) },
  {
    name: "Adagrad lrDecay + weightDecay + initialAccumulatorValue",
    make: (p) =>
      new dl.optim.Adagrad(p, {
        lr: 0.1,
        lrDecay: 0.1,
        weightDecay: 0.1,
        initialAccumulatorValue: 0.5,
      }),
    ref: adagradRef({ lr: 0.1, lrDecay: 0.1, weightDecay: 0.1, initialAccumulatorValue: 0.5 }),
  },
];

const makeParams = () => INIT.map((v) => new dl.nn.Parameter(dl.tensor(v, { dtype: "float32" })));

function train(opt: dl.optim.Optimizer<any, any>, params: Tensor[], steps: number): void {
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    lossOf(params).backward();
    opt.step();
  }
}

describe("first three steps against the published update rules", () => {
  for (const c of cases)
    it(c.name, () => {
      const params = makeParams();
      const opt = c.make(params);
      let theta = INIT.map((v) => v.map(Math.fround));
      const states = INIT.map(() => ({}));
      for (let t = 1; t <= 3; t++) {
        opt.zeroGrad();
        lossOf(params).backward();
        opt.step();
        theta = theta.map((th, k) => c.ref(th, gradRef(th, k), states[k], t));
        params.forEach((p, k) =>
          assertClose(p.dataSync(), theta[k], 1e-6, 1e-5, `${c.name}: param ${k} after step ${t}`),
        );
      }
      // A tensor that moved: the problem is not a fixed point of any rule.
      expect(params[0].dataSync()[0]).not.toBeCloseTo(INIT[0][0], 3);
    });
});

describe("param groups", () => {
  it("each group uses its own hyperparameters, the rest come from the defaults", () => {
    const params = makeParams();
    const opt = new dl.optim.SGD(
      [{ params: [params[0]], lr: 0.5, momentum: 0.9 }, { params: [params[1]] }],
      { lr: 0.1 },
    );
    expect(opt.paramGroups.map((g) => [g.lr, g.momentum])).toEqual([
      [0.5, 0.9],
      [0.1, 0],
    ]);
    train(opt, params, 2);
    let theta = INIT.map((v) => v.map(Math.fround));
    const refs = [sgdRef({ lr: 0.5, momentum: 0.9 }), sgdRef({ lr: 0.1 })];
    const states = [{}, {}];
    for (let t = 1; t <= 2; t++)
      theta = theta.map((th, k) => refs[k](th, gradRef(th, k), states[k], t));
    params.forEach((p, k) => assertClose(p.dataSync(), theta[k], 1e-6, 1e-5, `group ${k}`));
  });

  it("parameters keep their handles: the model sees the optimizer's updates", () => {
    dl.manualSeed(3);
    const model = new dl.nn.Linear(3, 2);
    const before = model.parameters();
    const w0 = [...model.weight.dataSync()];
    const opt = new dl.optim.Adam(model.parameters(), { lr: 0.1 });
    dl.sum(model.forward(dl.ones([4, 3]))).backward();
    opt.step();
    expect(model.parameters()).toEqual(before);
    expect(model.parameters()[0]).toBe(before[0]);
    expect([...model.weight.dataSync()]).not.toEqual(w0);
    expect(model.weight.requiresGrad).toBe(true);
  });

  it("parameters without a gradient are skipped; addParamGroup extends the optimizer", () => {
    const params = makeParams();
    const opt = new dl.optim.SGD([params[0]], { lr: 0.1 });
    opt.addParamGroup({ params: [params[1]], lr: 0.2 });
    params[0].grad = dl.ones([6]);
    opt.step();
    assertClose(
      params[0].dataSync(),
      INIT[0].map((v) => v - 0.1),
      1e-6,
      1e-6,
      "stepped",
    );
    assertClose(params[1].dataSync(), INIT[1].map(Math.fround), 0, 0, "untouched (no grad)");
  });

  it("zeroGrad clears to null by default, or to zeros", () => {
    const [p] = makeParams();
    const opt = new dl.optim.SGD([p], { lr: 0.1 });
    p.grad = dl.ones([6]);
    opt.zeroGrad(false);
    expect([...p.grad!.dataSync()]).toEqual([0, 0, 0, 0, 0, 0]);
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it("misuse is named", () => {
    const params = makeParams();
    expect(() => new dl.optim.SGD(params, {} as never)).toThrow(/SGD: lr is required/);
    expect(() => new dl.optim.Adam([])).toThrow(/Adam: optimizer got an empty parameter list/);
    expect(() => new dl.optim.Adam([params[0], params[0]])).toThrow(
      /more than one parameter group/,
    );
    expect(() => new dl.optim.SGD(params, { lr: 0.1, nesterov: true })).toThrow(
      /Nesterov momentum requires a momentum/,
    );
    expect(() => new dl.optim.Adam(params, { betas: [1.2, 0.9] })).toThrow(/Adam: invalid betas/);
    expect(() => new dl.optim.RMSprop(params, { lr: -1 })).toThrow(/RMSprop: invalid lr: -1/);
    expect(() => new dl.optim.Adagrad([dl.tensor([1, 2])])).toThrow(/floating-point/);
    const nonLeaf = dl.mul(params[0], 2);
    expect(() => new dl.optim.SGD([nonLeaf], { lr: 1 })).toThrow(/non-leaf/);
  });
});

describe("memory", () => {
  for (const make of [
    (p: Tensor[]) => new dl.optim.SGD(p, { lr: 0.01, momentum: 0.9, weightDecay: 0.1 }),
    (p: Tensor[]) => new dl.optim.Adam(p, { amsgrad: true, weightDecay: 0.1 }),
    (p: Tensor[]) => new dl.optim.AdamW(p),
    (p: Tensor[]) => new dl.optim.RMSprop(p, { centered: true, momentum: 0.5 }),
    (p: Tensor[]) => new dl.optim.Adagrad(p),
  ])
    it(`${make(makeParams()).constructor.name}: steps without tidy keep the tensor count flat`, async () => {
      const params = makeParams();
      params.forEach((p) => (p.grad = dl.onesLike(p)));
      const opt = make(params);
      // A task turn: the handles made so far stay counted (see memory/lifetime.ts).
      await new Promise((r) => setTimeout(r, 0));
      opt.step();
      const after1 = dl.memory().tensors;
      for (let i = 0; i < 20; i++) opt.step();
      expect(dl.memory().tensors).toBe(after1);
    });

  it("state survives a step taken inside the caller's tidy()", () => {
    const params = makeParams();
    const opt = new dl.optim.Adam(params, { lr: 0.1 });
    dl.tidy(() => {
      lossOf(params).backward();
      opt.step();
    });
    const s = opt.state.get(params[0])!;
    expect((s.expAvg as Tensor).isDisposed).toBe(false);
    expect(params[0].isDisposed).toBe(false);
    opt.step();
    expect(opt.state.get(params[0])!.step).toBe(2);
  });
});
