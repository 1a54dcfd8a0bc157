// The classic-control dynamics against Gymnasium's published equations, re-derived here in
// float64 from the papers' forms (not copied from src/rl), plus hand-computed first steps.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

/** CartPole in Florian's (2007) form: thetaAcc first, then xAcc from the full force balance. */
function cartPoleReference(s: number[], action: number): number[] {
  const [g, mc, mp, l, tau] = [9.8, 1.0, 0.1, 0.5, 0.02];
  const F = action === 1 ? 10 : -10;
  const [x, v, th, w] = s;
  const thetaAcc =
    (g * Math.sin(th) + Math.cos(th) * ((-F - mp * l * w * w * Math.sin(th)) / (mc + mp))) /
    (l * (4 / 3 - (mp * Math.cos(th) ** 2) / (mc + mp)));
  const xAcc = (F + mp * l * (w * w * Math.sin(th) - thetaAcc * Math.cos(th))) / (mc + mp);
  return [x + tau * v, v + tau * xAcc, th + tau * w, w + tau * thetaAcc];
}

function pendulumReference(s: number[], u: number, g = 10): { next: number[]; reward: number } {
  const [th, w] = s;
  const torque = Math.max(-2, Math.min(2, u));
  let norm = (th + Math.PI) % (2 * Math.PI); // JS remainder keeps the sign: fix it up
  if (norm < 0) norm += 2 * Math.PI;
  norm -= Math.PI;
  const reward = -(norm ** 2 + 0.1 * w ** 2 + 0.001 * torque ** 2);
  const w1 = Math.max(-8, Math.min(8, w + (1.5 * g * Math.sin(th) + 3 * torque) * 0.05));
  return { next: [th + w1 * 0.05, w1], reward };
}

function mountainCarReference(s: number[], a: number): number[] {
  let [p, v] = s;
  v = Math.max(-0.07, Math.min(0.07, v + (a - 1) * 0.001 - 0.0025 * Math.cos(3 * p)));
  p = Math.max(-1.2, Math.min(0.6, p + v));
  if (p === -1.2 && v < 0) v = 0;
  return [p, v];
}

describe("CartPole", () => {
  it("first push from rest matches the hand-computed values 8/41 and -12/41", () => {
    const env = new dl.rl.CartPole();
    env.reset(0);
    env.state.set([0, 0, 0, 0]);
    const { observation, reward, terminated, truncated } = env.step(1);
    expect(Array.from(env.state)).toEqual([
      0,
      expect.closeTo(8 / 41, 14),
      0,
      expect.closeTo(-12 / 41, 14),
    ]);
    expect(observation).toBeInstanceOf(Float32Array);
    expect(observation[1]).toBe(Math.fround(8 / 41));
    expect([reward, terminated, truncated]).toEqual([1, false, false]);
  });

  it("follows the reference equations for 30 steps from a tilted, moving state", () => {
    const env = new dl.rl.CartPole();
    env.reset(0);
    let ref = [0.3, -0.4, 0.05, 0.2];
    env.state.set(ref);
    for (let i = 0; i < 30; i++) {
      const a = (i * 7) % 3 === 0 ? 1 : 0;
      ref = cartPoleReference(ref, a);
      const { observation, terminated } = env.step(a);
      env.state.forEach((v, k) => expect(v).toBeCloseTo(ref[k], 12));
      expect(Array.from(observation)).toEqual(ref.map(Math.fround));
      const fell = Math.abs(ref[0]) > 2.4 || Math.abs(ref[2]) > (12 * Math.PI) / 180;
      expect(terminated).toBe(fell);
      if (fell) break;
    }
  });

  it("terminates past 12 degrees or 2.4 m, paying 1 for the final step, and then refuses to step", () => {
    const env = new dl.rl.CartPole();
    env.reset(0);
    env.state.set([0, 0, 0.2094, 2]); // just under 12 degrees, falling right
    const r = env.step(1);
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(1);
    expect(() => env.step(0)).toThrow(
      /CartPole\.step: the episode is over \(terminated after 1 steps\).*reset\(\)/,
    );
    env.reset(0);
    env.state.set([2.39, 1, 0, 0]);
    expect(env.step(1).terminated).toBe(true);
  });

  it("a balancing controller survives until truncation at exactly 500 steps", () => {
    const env = new dl.rl.CartPole();
    expect(env.maxEpisodeSteps).toBe(500);
    let obs = env.reset(3);
    let steps = 0;
    for (;;) {
      const r = env.step(obs[2] + 0.5 * obs[3] + 0.01 * obs[0] + 0.1 * obs[1] > 0 ? 1 : 0);
      steps++;
      obs = r.observation;
      if (r.terminated || r.truncated) {
        expect(r).toMatchObject({ terminated: false, truncated: true });
        break;
      }
    }
    expect(steps).toBe(500);
    expect(() => env.step(0)).toThrow(/truncated after 500 steps/);
  });

  it("resets uniformly within +-0.05 and rejects invalid actions", () => {
    const env = new dl.rl.CartPole();
    let sum = 0;
    for (let i = 0; i < 200; i++) {
      const obs = env.reset(i);
      obs.forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(0.05));
      sum += obs[0];
    }
    expect(Math.abs(sum / 200)).toBeLessThan(0.01); // sd of the mean: 0.0289/sqrt(200) = 0.002
    expect(() => env.step(2)).toThrow(
      /CartPole\.step: action 2 is not in the action space Discrete\(2\)/,
    );
    expect(() => env.step(0.5)).toThrow(/action 0.5/);
  });
});

describe("Pendulum", () => {
  it("matches the hand-computed first step and the reference for 40 steps", () => {
    const env = new dl.rl.Pendulum();
    env.reset(0);
    env.state.set([1.0, 0.5]);
    const r = env.step([1.5]);
    // thetaDot' = 0.5 + (15 sin 1 + 4.5) * 0.05; cost = 1 + 0.1 * 0.25 + 0.001 * 2.25
    const w1 = 0.5 + (15 * Math.sin(1) + 4.5) * 0.05;
    expect(env.state[1]).toBeCloseTo(w1, 14);
    expect(env.state[0]).toBeCloseTo(1 + w1 * 0.05, 14);
    expect(r.reward).toBeCloseTo(-1.02725, 14);
    expect(Array.from(r.observation)).toEqual(
      [Math.cos(env.state[0]), Math.sin(env.state[0]), w1].map(Math.fround),
    );
    let ref = [3.5, -7.9];
    env.state.set(ref);
    for (let i = 0; i < 40; i++) {
      const u = 3 * Math.sin(i); // beyond +-2 at times: clipped
      const { next, reward } = pendulumReference(ref, u);
      const step = env.step(u);
      expect(step.reward).toBeCloseTo(reward, 12);
      env.state.forEach((v, k) => expect(v).toBeCloseTo(next[k], 12));
      expect(step.terminated).toBe(false);
      ref = next;
    }
  });

  it("clips the speed at 8, honours g, and truncates at 200 steps", () => {
    const env = new dl.rl.Pendulum({ g: 9.81 });
    env.reset(1);
    env.state.set([Math.PI / 2, 7.9]);
    env.step(2);
    expect(env.state[1]).toBe(8);
    env.state.set([0.7, 0]);
    env.step(0);
    expect(env.state[1]).toBeCloseTo(1.5 * 9.81 * Math.sin(0.7) * 0.05, 14);
    const fresh = new dl.rl.Pendulum();
    fresh.reset(2);
    for (let i = 1; i <= 200; i++) expect(fresh.step(0).truncated).toBe(i === 200);
  });

  it("starts in [-pi, pi] x [-1, 1] and validates actions", () => {
    const env = new dl.rl.Pendulum();
    for (let i = 0; i < 50; i++) {
      env.reset(i);
      expect(Math.abs(env.state[0])).toBeLessThanOrEqual(Math.PI);
      expect(Math.abs(env.state[1])).toBeLessThanOrEqual(1);
    }
    expect(() => env.step([1, 2])).toThrow(/Pendulum\.step: expected a finite torque.*\[1, 2\]/);
    expect(() => env.step(NaN)).toThrow(/Pendulum\.step/);
    expect(env.actionSpace.contains(env.actionSpace.sample())).toBe(true);
    expect(env.step(env.actionSpace.sample()).observation).toHaveLength(3);
  });

  it("normalises angles into [-pi, pi) like Python's modulo", () => {
    expect(dl.rl.angleNormalize(4)).toBeCloseTo(4 - 2 * Math.PI, 14);
    expect(dl.rl.angleNormalize(-4)).toBeCloseTo(-4 + 2 * Math.PI, 14);
    expect(dl.rl.angleNormalize(Math.PI)).toBeCloseTo(-Math.PI, 14);
    expect(dl.rl.angleNormalize(-13)).toBeCloseTo(-13 + 4 * Math.PI, 12);
  });
});

describe("MountainCar", () => {
  it("follows the reference for 60 steps and pays -1 per step", () => {
    const env = new dl.rl.MountainCar();
    env.reset(0);
    let ref = [-0.5, 0.01];
    env.state.set(ref);
    for (let i = 0; i < 60; i++) {
      const a = i % 3;
      ref = mountainCarReference(ref, a);
      const r = env.step(a);
      expect(Array.from(env.state)).toEqual([
        expect.closeTo(ref[0], 14),
        expect.closeTo(ref[1], 14),
      ]);
      expect(r.reward).toBe(-1);
    }
  });

  it("stops dead at the left wall and terminates at the flag", () => {
    const env = new dl.rl.MountainCar();
    env.reset(0);
    env.state.set([-1.19, -0.05]);
    env.step(0);
    expect(Array.from(env.state)).toEqual([-1.2, 0]);
    env.state.set([0.49, 0.02]);
    const r = env.step(2);
    expect(r.terminated).toBe(true);
    expect(r.observation[0]).toBeGreaterThanOrEqual(0.5);
  });

  it("starts in [-0.6, -0.4] at rest and truncates doing nothing at step 200", () => {
    const env = new dl.rl.MountainCar();
    const obs = env.reset(5);
    expect(obs[0]).toBeGreaterThanOrEqual(-0.6);
    expect(obs[0]).toBeLessThanOrEqual(-0.4);
    expect(obs[1]).toBe(0);
    let last;
    for (let i = 0; i < 200; i++) last = env.step(1);
    expect(last).toMatchObject({ terminated: false, truncated: true });
    expect(env.elapsedSteps).toBe(200);
  });
});
