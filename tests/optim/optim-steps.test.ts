// The multi-tensor Adam and SGD updates (ops/optim-steps.ts) on every device that starts:
// against float64 loops of the updates over several parameters; on the CPU bitwise against
// the composed ops they replaced (decayed gradient, then one fused pass per tensor written),
// so training results do not move; and the optimizers' multi-tensor steps (one kernel for a
// group, a frozen parameter copied out of the shared buffer).
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import {
  adagradSteps,
  adamSteps,
  rmspropSteps,
  sgdSteps,
  stepResults,
} from "../../src/ops/optim-steps.js";
import { fusedMap } from "../../src/ops/fused.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp } from "../helpers/spread.js";

const SHAPES = [[10, 100], [7], [3, 1, 5]];
const operand = (shape: number[], lo: number, hi: number, seed: number) =>
  ramp(
    shape.reduce((a, b) => a * b, 1),
    lo,
    hi,
    seed,
  );
const ADAM = {
  oneMinusBeta1: 0.1,
  beta2: 0.999,
  oneMinusBeta2: 0.001,
  stepSize: 3e-3,
  eps: 1e-8,
  gradSign: 1,
  weightDecay: 0,
  paramScale: 1,
};
const ADAM_VARIANTS = [
  ADAM,
  { ...ADAM, gradSign: -1, weightDecay: 0.05 },
  { ...ADAM, paramScale: 0.97 },
];
const SGD = { lr: 0.1, momentum: 0.9, oneMinusDampening: 0.8, nesterov: false, gradSign: 1 };
const SGD_VARIANTS = [
  { ...SGD, momentum: 0, weightDecay: 0, fresh: [false, false, false] },
  { ...SGD, weightDecay: 0, fresh: [false, true, false] },
  {
    ...SGD,
    nesterov: true,
    oneMinusDampening: 1,
    gradSign: -1,
    weightDecay: 0.05,
    fresh: [true, false, false],
  },
];

const RMS = { lr: 0.01, alpha: 0.9, eps: 1e-8, gradSign: 1, weightDecay: 0 };
const RMS_VARIANTS = [
  { ...RMS, momentum: 0, centered: false },
  { ...RMS, momentum: 0.9, centered: true, gradSign: -1 },
  { ...RMS, momentum: 0.5, centered: false, weightDecay: 0.05 },
];
const ADAGRAD_VARIANTS = [
  { lr: 0.1, eps: 1e-10, gradSign: 1, weightDecay: 0 },
  { lr: 0.05, eps: 1e-10, gradSign: -1, weightDecay: 0.05 },
];

/** θ, g, m, v, b of each parameter as plain arrays (v ≥ v − m², as a second moment is). */
function values(): number[][][] {
  return SHAPES.map((s, k) => [
    operand(s, -1, 1, 1 + k),
    operand(s, -2, 2, 2 + k),
    operand(s, -0.1, 0.1, 3 + k),
    operand(s, 0.01, 0.02, 4 + k),
    operand(s, -0.5, 0.5, 5 + k),
  ]);
}

/** Float64 RMSprop: [θ', v', ḡ' (centered), b' (momentum)] of one element. */
function rmspropRef(a: (typeof RMS_VARIANTS)[number], [P, G, M, V, B]: number[]): number[] {
  const g = a.gradSign * G + a.weightDecay * P;
  const v = a.alpha * V + (1 - a.alpha) * g * g;
  const ga = a.alpha * M + (1 - a.alpha) * g;
  const avg = Math.sqrt(a.centered ? v - ga * ga : v) + a.eps;
  const delta = a.momentum ? a.momentum * B + g / avg : g / avg;
  return [P - a.lr * delta, v, ...(a.centered ? [ga] : []), ...(a.momentum ? [delta] : [])];
}

describe.each(DEVICES)("multi-tensor updates on $device", ({ device, available }) => {
  const tensors = (per: number) =>
    values().map((ops, k) =>
      ops.slice(0, per).map((x) => dl.tensor(x, { device }).reshape(SHAPES[k])),
    );

  it.skipIf(!available)("adamSteps matches float64 loops over several parameters", async () => {
    for (const a of ADAM_VARIANTS) {
      const out = dl.noGrad(() => adamSteps(tensors(4), a));
      const got = await out.data();
      let at = 0;
      for (const [P, G, M, V] of values()) {
        const n = P.length;
        for (let i = 0; i < n; i++) {
          const g = a.gradSign * G[i] + a.weightDecay * P[i];
          const m = M[i] + a.oneMinusBeta1 * (g - M[i]);
          const v = V[i] * a.beta2 + g * g * a.oneMinusBeta2;
          const p = P[i] * a.paramScale - (a.stepSize * m) / (Math.sqrt(v) + a.eps);
          for (const [k, want] of [p, m, v].entries())
            expect(Math.abs(got[at + k * n + i] - want)).toBeLessThanOrEqual(
              2e-6 * (1 + Math.abs(want)),
            );
        }
        at += 3 * n;
      }
    }
  });

  it.skipIf(!available)("sgdSteps matches float64 loops: plain, momentum, Nesterov", async () => {
    for (const a of SGD_VARIANTS) {
      const width = a.momentum ? 2 : 1;
      const out = dl.noGrad(() => sgdSteps(tensors(3), a));
      expect(out.shape).toEqual([width * 1022]);
      const got = await out.data();
      let at = 0;
      values().forEach(([P, G, B], k) => {
        const n = P.length;
        for (let i = 0; i < n; i++) {
          const g = a.gradSign * G[i] + a.weightDecay * P[i];
          const b = a.fresh[k] ? g : a.momentum * B[i] + a.oneMinusDampening * g;
          const step = a.momentum === 0 ? g : a.nesterov ? g + a.momentum * b : b;
          const want = [P[i] - a.lr * step, b].slice(0, width);
          for (const [q, w] of want.entries())
            expect(Math.abs(got[at + q * n + i] - w)).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(w)));
        }
        at += width * n;
      });
    }
  });

  it.skipIf(!available)("rmspropSteps and adagradSteps match float64 loops", async () => {
    const close = (got: number, want: number) =>
      expect(Math.abs(got - want)).toBeLessThanOrEqual(2e-5 * (1 + Math.abs(want)));
    for (const a of RMS_VARIANTS) {
      const width = 2 + +a.centered + +!!a.momentum;
      const got = await dl.noGrad(() => rmspropSteps(tensors(5), a)).data();
      let at = 0;
      for (const ops of values()) {
        const n = ops[0].length;
        for (let i = 0; i < n; i++)
          rmspropRef(
            a,
            ops.map((x) => x[i]),
          ).forEach((w, q) => close(got[at + q * n + i], w));
        at += width * n;
      }
    }
    for (const a of ADAGRAD_VARIANTS) {
      const groups = tensors(4).map((t) => [t[0], t[1], t[3]]);
      const got = await dl.noGrad(() => adagradSteps(groups, a)).data();
      let at = 0;
      for (const [P, G, , S] of values()) {
        const n = P.length;
        for (let i = 0; i < n; i++) {
          const g = a.gradSign * G[i] + a.weightDecay * P[i];
          const sum = S[i] + g * g;
          close(got[at + i], P[i] - (a.lr * g) / (Math.sqrt(sum) + a.eps));
          close(got[at + n + i], sum);
        }
        at += 2 * n;
      }
    }
  });

  it.skipIf(!available)(
    "refuses mismatched shapes, wrong groups and operands that require grad",
    () => {
      const z = (s: number[]) => dl.zeros(s, { device });
      expect(() => adamSteps([[z([2]), z([3]), z([2]), z([2])]], ADAM)).toThrow(
        /adamSteps.*float32\[3\].*parameter 0/,
      );
      expect(() => adamSteps([[z([2]), z([2])]], ADAM)).toThrow(/adamSteps: expected \[parameter/);
      expect(() => adamSteps([], ADAM)).toThrow(/adamSteps: expected at least one parameter/);
      expect(() => sgdSteps([[z([2]), z([2]), z([2])]], SGD_VARIANTS[1])).toThrow(
        /sgdSteps: expected 1 fresh flags, got 3/,
      );
      const w = z([2]).requiresGrad_();
      expect(() => adamSteps([[w, z([2]), z([2]), z([2])]], ADAM)).toThrow(
        /adamSteps: is not differentiable/,
      );
    },
  );
});

describe("multi-tensor updates on the CPU", () => {
  // The composed updates they replaced: the gradient followed as elementwise ops, then one
  // fusedMap pass per tensor written.
  const expr = (cpu: string) => ({ name: "reference", cpu, wgsl: "" });
  const followed = (p: dl.Tensor, g: dl.Tensor, sign: number, wd: number) => {
    const s = sign < 0 ? g.neg() : g;
    return wd !== 0 ? s.add(p.mul(wd)) : s;
  };
  const bits = (t: dl.Tensor) => Array.from(t.dataSync());

  it("adamSteps is bitwise the composed update, every variant", () => {
    for (const a of ADAM_VARIANTS) {
      const groups = values().map((ops, k) =>
        ops.slice(0, 4).map((x) => dl.tensor(x).reshape(SHAPES[k])),
      );
      const results = stepResults(adamSteps(groups, a), SHAPES, 3);
      groups.forEach(([p0, g0, m0, v0], k) => {
        const g = followed(p0, g0, a.gradSign, a.weightDecay);
        const p = a.paramScale !== 1 ? p0.mul(a.paramScale) : p0;
        const m = fusedMap(expr("a + c * (b - a)"), [m0, g, a.oneMinusBeta1]);
        const v = fusedMap(expr("a * c + b * b * d"), [v0, g, a.beta2, a.oneMinusBeta2]);
        const p1 = fusedMap(expr("a - d * b / (Math.sqrt(c) + e)"), [p, m, v, a.stepSize, a.eps]);
        expect(results[k].map(bits)).toEqual([p1, m, v].map(bits));
        expect(results[k][0].shape).toEqual(SHAPES[k]);
      });
    }
  });

  it("sgdSteps is bitwise the composed update, every variant", () => {
    for (const a of SGD_VARIANTS) {
      const groups = values().map((ops, k) =>
        ops.slice(0, 3).map((x) => dl.tensor(x).reshape(SHAPES[k])),
      );
      const width = a.momentum ? 2 : 1;
      const results = stepResults(sgdSteps(groups, a), SHAPES, width);
      groups.forEach(([p, g0, b0], k) => {
        const g = followed(p, g0, a.gradSign, a.weightDecay);
        if (a.momentum === 0) {
          expect(bits(results[k][0])).toEqual(bits(fusedMap(expr("a - c * b"), [p, g, a.lr])));
          return;
        }
        const b = a.fresh[k]
          ? g
          : fusedMap(expr("a * c + b * d"), [b0, g, a.momentum, a.oneMinusDampening]);
        const p1 = a.nesterov
          ? fusedMap(expr("a - d * (b + e * c)"), [p, g, b, a.lr, a.momentum])
          : fusedMap(expr("a - c * b"), [p, b, a.lr]);
        expect(results[k].map(bits)).toEqual([p1, b].map(bits));
      });
    }
  });

  it("rmspropSteps and adagradSteps are bitwise the composed updates, every variant", () => {
    const tensorsOf = () =>
      values().map((ops, k) => ops.map((x) => dl.tensor(x).reshape(SHAPES[k])));
    for (const a of RMS_VARIANTS) {
      const groups = tensorsOf();
      const width = 2 + +a.centered + +!!a.momentum;
      const results = stepResults(rmspropSteps(groups, a), SHAPES, width);
      groups.forEach(([p, g0, m0, v0, b0], k) => {
        const g = followed(p, g0, a.gradSign, a.weightDecay);
        const v = v0.mul(a.alpha).add(g.mul(g).mul(1 - a.alpha));
        const ga = m0.mul(a.alpha).add(g.mul(1 - a.alpha));
        const avg = (a.centered ? v.sub(ga.mul(ga)) : v).sqrt().add(a.eps);
        const delta = a.momentum ? b0.mul(a.momentum).add(g.div(avg)) : g.div(avg);
        const want = [p.sub(delta.mul(a.lr)), v];
        if (a.centered) want.push(ga);
        if (a.momentum) want.push(delta);
        expect(results[k].map(bits)).toEqual(want.map(bits));
      });
    }
    for (const a of ADAGRAD_VARIANTS) {
      const groups = tensorsOf().map((t) => [t[0], t[1], t[3]]);
      const results = stepResults(adagradSteps(groups, a), SHAPES, 2);
      groups.forEach(([p, g0, s0], k) => {
        const g = followed(p, g0, a.gradSign, a.weightDecay);
        const sum = s0.add(g.mul(g));
        const p1 = p.sub(g.div(sum.sqrt().add(a.eps)).mul(a.lr));
        expect(results[k].map(bits)).toEqual([p1, sum].map(bits));
      });
    }
  });

  it("three Adam steps on Σw² match a float64 loop (moments are views of one output)", () => {
    dl.manualSeed(3);
    const w = dl.randn([64, 32]).requiresGrad_();
    const opt = new dl.optim.Adam([w], { lr: 1e-2 });
    const ref = Array.from(w.dataSync());
    const m = new Array(ref.length).fill(0);
    const v = new Array(ref.length).fill(0);
    for (let t = 1; t <= 3; t++) {
      opt.zeroGrad();
      w.mul(w).sum().backward();
      opt.step();
      for (let i = 0; i < ref.length; i++) {
        const g = 2 * ref[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        const mHat = m[i] / (1 - 0.9 ** t);
        const vHat = v[i] / (1 - 0.999 ** t);
        ref[i] -= (1e-2 * mHat) / (Math.sqrt(vHat) + 1e-8);
      }
    }
    const got = w.dataSync();
    for (let i = 0; i < ref.length; i++) expect(Math.abs(got[i] - ref[i])).toBeLessThan(1e-5);
    const state = opt.state.get(w)!;
    expect(state.expAvg.shape).toEqual([64, 32]);
    const mGot = state.expAvg.dataSync();
    for (let i = 0; i < m.length; i++) expect(Math.abs(mGot[i] - m[i])).toBeLessThan(1e-5);
  });

  it("a group steps as one kernel, parameters at different step counts each at their own", () => {
    dl.manualSeed(5);
    const make = () =>
      [dl.randn([4, 3]), dl.randn([3]), dl.randn([2, 2])].map((t) => t.requiresGrad_());
    const batched = make();
    const single = batched.map((t) => t.detach().clone().requiresGrad_());
    const opt = new dl.optim.AdamW(batched, { lr: 0.1, weightDecay: 0.1 });
    const states = single.map(() => undefined as dl.optim.AdamState | undefined);
    const hyper = opt.paramGroups[0];
    const loss = (ps: dl.Tensor[]) => ps.map((p) => p.mul(p).sum()).reduce((a, b) => a.add(b));
    for (let t = 0; t < 3; t++) {
      // The last parameter misses the first step, so its step count lags the others'.
      const live = (ps: dl.Tensor[]) => (t === 0 ? ps.slice(0, 2) : ps);
      opt.zeroGrad();
      loss(live(batched)).backward();
      opt.step();
      dl.noGrad(() =>
        live(single).forEach((p, k) => {
          const g = p.mul(2);
          const state = states[k] ?? {
            step: 0,
            expAvg: dl.zerosLike(p),
            expAvgSq: dl.zerosLike(p),
          };
          const next = dl.optim.adamUpdate(p, g, state, hyper);
          p._assign(next.param);
          states[k] = next.state;
        }),
      );
    }
    expect(opt.state.get(batched[2])!.step).toBe(2);
    expect(batched.map(bits)).toEqual(single.map(bits));
    // One step's results share one buffer: parameters and moments are views of it.
    expect(batched[0].storage).toBe(batched[1].storage);
    expect(opt.state.get(batched[1])!.expAvg.storage).toBe(batched[0].storage);
  });

  it("a parameter that stops getting gradients is copied out of the shared buffer", () => {
    const ps = [dl.ones([8]), dl.ones([4])].map((t) => t.requiresGrad_());
    const opt = new dl.optim.SGD(ps, { lr: 0.5, momentum: 0.9 });
    ps.forEach((p) => (p.grad = dl.onesLike(p)));
    opt.step();
    expect(ps[0].storage).toBe(ps[1].storage);
    const shared = ps[1].storage.buffer.length;
    expect(shared).toBeGreaterThanOrEqual(2 * (8 + 4)); // θ' and the buffer of both
    ps[1].grad = null; // frozen from here on
    opt.step();
    // Its value and buffer in buffers of their own, not the group's of the first step.
    const buffer = opt.state.get(ps[1])!.momentumBuffer as dl.Tensor;
    for (const t of [ps[1], buffer]) {
      expect(t.storage.buffer.length).toBeLessThan(2 * (8 + 4));
      expect(t.storage).not.toBe(ps[0].storage);
    }
    expect(bits(ps[1])).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(bits(buffer)).toEqual([1, 1, 1, 1]);
    // The trained one took its second step: b = 0.9 + 1, θ = 0.5 − 0.5 · 1.9.
    expect(bits(ps[0])[0]).toBeCloseTo(-0.45, 6);
  });
});
