// Adam's one-pass update (ops/adam-step.ts) on every device that starts: against float64
// loops of the update, and on the CPU bitwise against the three fusedMap passes it
// replaced (the same expressions, m' and v' stored as float32 first), so training
// results do not move.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { adamStep } from "../../src/ops/adam-step.js";
import { fusedMap } from "../../src/ops/fused.js";
import { DEVICES } from "../helpers/devices.js";
import { ramp } from "../helpers/spread.js";

const N = 1000;
const [P, G, M] = [ramp(N, -1, 1, 1), ramp(N, -2, 2, 2), ramp(N, -0.1, 0.1, 3)];
const V = ramp(N, 0, 0.01, 4);
const ATTRS = { oneMinusBeta1: 0.1, beta2: 0.999, oneMinusBeta2: 0.001, stepSize: 3e-3, eps: 1e-8 };

describe.each(DEVICES)("adamStep on $device", ({ device, available }) => {
  it.skipIf(!available)("matches float64 loops of Adam's update", async () => {
    const t = (v: number[]) => dl.tensor(v, { device }).reshape([10, 100]);
    const out = dl.noGrad(() => adamStep(t(P), t(G), t(M), t(V), ATTRS));
    expect(out.shape).toEqual([3, 10, 100]);
    const got = await out.data();
    const a = ATTRS;
    for (let i = 0; i < N; i++) {
      const m = M[i] + a.oneMinusBeta1 * (G[i] - M[i]);
      const v = V[i] * a.beta2 + G[i] * G[i] * a.oneMinusBeta2;
      const p = P[i] - (a.stepSize * m) / (Math.sqrt(v) + a.eps);
      for (const [k, want] of [p, m, v].entries())
        expect(Math.abs(got[k * N + i] - want)).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(want)));
    }
  });

  it.skipIf(!available)("refuses mismatched shapes and operands that require grad", () => {
    const z = (s: number[]) => dl.zeros(s, { device });
    expect(() => adamStep(z([2]), z([3]), z([2]), z([2]), ATTRS)).toThrow(/adamStep.*\[3\]/);
    const w = z([2]).requiresGrad_();
    expect(() => adamStep(w, z([2]), z([2]), z([2]), ATTRS)).toThrow(
      /adamStep: is not differentiable/,
    );
  });
});

describe("adamStep on the CPU", () => {
  it("is bitwise the three fusedMap passes it replaced", () => {
    const [p, g, m, v] = [P, G, M, V].map((x) => dl.tensor(x));
    const fused = adamStep(p, g, m, v, ATTRS).dataSync();
    const a = ATTRS;
    const m1 = fusedMap({ name: "m", cpu: "a + c * (b - a)", wgsl: "" }, [m, g, a.oneMinusBeta1]);
    const v1 = fusedMap({ name: "v", cpu: "a * c + b * b * d", wgsl: "" }, [
      v,
      g,
      a.beta2,
      a.oneMinusBeta2,
    ]);
    const p1 = fusedMap({ name: "p", cpu: "a - d * b / (Math.sqrt(c) + e)", wgsl: "" }, [
      p,
      m1,
      v1,
      a.stepSize,
      a.eps,
    ]);
    expect(Array.from(fused)).toEqual([...p1.dataSync(), ...m1.dataSync(), ...v1.dataSync()]);
  });

  it("three optimizer steps on Σw² match a float64 loop of Adam (moments are views of one output)", () => {
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
});
