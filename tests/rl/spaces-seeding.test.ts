import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

describe("Discrete", () => {
  it("samples every value of start..start+n-1 with equal frequency", () => {
    const space = new dl.rl.Discrete(5, 2).seed(1);
    const counts = new Map<number, number>();
    const draws = 20000;
    for (let i = 0; i < draws; i++) {
      const v = space.sample();
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([2, 3, 4, 5, 6]);
    // Binomial sd: sqrt(20000 * 0.2 * 0.8) = 57; allow 5 sd.
    for (const c of counts.values()) expect(Math.abs(c - 4000)).toBeLessThan(285);
  });

  it("contains only integers in range and prints like Gymnasium", () => {
    const space = new dl.rl.Discrete(3, -1);
    expect([-1, 0, 1].every((v) => space.contains(v))).toBe(true);
    expect([2, -2, 0.5, NaN, "0", [0]].some((v) => space.contains(v))).toBe(false);
    expect(String(space)).toBe("Discrete(3, start=-1)");
    expect(String(new dl.rl.Discrete(4))).toBe("Discrete(4)");
    expect(() => new dl.rl.Discrete(0)).toThrow(/Discrete: n must be a positive integer, got 0/);
  });
});

describe("Box", () => {
  it("samples uniformly inside finite bounds", () => {
    const box = new dl.rl.Box([-1, 0], [1, 10]).seed(2);
    const n = 20000;
    const sums = [0, 0];
    const squares = [0, 0];
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const s = box.sample();
      if (!box.contains(s)) outside++;
      s.forEach((v, k) => ((sums[k] += v), (squares[k] += v * v)));
    }
    expect(outside).toBe(0);
    expect(sums[0] / n).toBeCloseTo(0, 1);
    expect(sums[1] / n).toBeCloseTo(5, 1);
    // Uniform(a, b) variance (b - a)^2 / 12.
    expect(squares[0] / n - (sums[0] / n) ** 2).toBeCloseTo(4 / 12, 1);
    expect(squares[1] / n - (sums[1] / n) ** 2).toBeCloseTo(100 / 12, 0);
  });

  it("samples normal where unbounded and shifted exponential where half-bounded", () => {
    const box = new dl.rl.Box([-Infinity, 3, -Infinity], [Infinity, Infinity, -2]).seed(3);
    const n = 20000;
    const sums = [0, 0, 0];
    let sq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const s = box.sample();
      s.forEach((v, k) => (sums[k] += v));
      sq += s[0] * s[0];
      if (s[1] < 3 || s[2] > -2) outside++;
    }
    expect(outside).toBe(0);
    expect(sums[0] / n).toBeCloseTo(0, 1);
    expect(sq / n).toBeCloseTo(1, 1);
    expect(sums[1] / n).toBeCloseTo(4, 1); // 3 + Exp(1)
    expect(sums[2] / n).toBeCloseTo(-3, 1); // -2 - Exp(1)
  });

  it("checks length, bounds in float32 and NaN in contains", () => {
    const box = new dl.rl.Box(0, 0.1, [2]);
    expect(box.shape).toEqual([2]);
    expect(box.contains([0.1, 0])).toBe(true); // 0.1 compared as float32, like the bound
    expect(box.contains(Float32Array.of(0.05, 0.05))).toBe(true);
    expect(box.contains([0.2, 0])).toBe(false);
    expect(box.contains([0.05])).toBe(false);
    expect(box.contains([NaN, 0])).toBe(false);
    expect(box.contains(0.05)).toBe(false);
    expect(String(box)).toBe("Box(0, 0.1, [2], float32)");
    expect(() => new dl.rl.Box(1, 0, [1])).toThrow(
      /Box: low\[0\] = 1 must not exceed high\[0\] = 0/,
    );
    expect(() => new dl.rl.Box(0, 1)).toThrow(/Box: scalar low and high need a shape/);
    expect(() => new dl.rl.Box([0, 0], [1, 1, 1])).toThrow(
      /high has 3 values but the shape holds 2/,
    );
  });

  it("a seeded space repeats its draws; an unseeded one follows dl.manualSeed", () => {
    const a = new dl.rl.Box(-1, 1, [3]).seed(7);
    const b = new dl.rl.Box(-1, 1, [3]).seed(7);
    expect(Array.from(a.sample())).toEqual(Array.from(b.sample()));
    const draw = () => {
      dl.manualSeed(11);
      const space = new dl.rl.Discrete(1000);
      return [space.sample(), space.sample(), space.sample()];
    };
    const first = draw();
    expect(draw()).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
  });
});

describe("environment seeding and episode rules", () => {
  const rollout = (env: dl.rl.GridWorld, seed?: number) => {
    const states = [env.reset(seed)];
    for (let i = 0; i < 30; i++) {
      const r = env.step(i % 4);
      states.push(r.observation);
      if (r.terminated || r.truncated) break;
    }
    return states;
  };

  it("reset(seed) replays the same episode; reset() continues the stream", () => {
    const slippery = { slippery: true, map: ["S...", "....", "....", "...G"] };
    const env = new dl.rl.GridWorld(slippery);
    const first = rollout(env, 42);
    expect(rollout(env, 42)).toEqual(first);
    expect(rollout(new dl.rl.GridWorld(slippery), 42)).toEqual(first);
    const continued = [rollout(env, 1), rollout(env), rollout(env)];
    const again = [rollout(env, 1), rollout(env), rollout(env)];
    expect(again).toEqual(continued);
    expect(continued[1]).not.toEqual(continued[0]); // 30 slippery steps: a repeat is ~impossible
  });

  it("reset(seed) fixes CartPole's start; the first unseeded reset follows dl.manualSeed", () => {
    const env = new dl.rl.CartPole();
    expect(Array.from(env.reset(9))).toEqual(Array.from(new dl.rl.CartPole().reset(9)));
    expect(Array.from(env.reset(9))).not.toEqual(Array.from(env.reset(10)));
    dl.manualSeed(5);
    const a = new dl.rl.CartPole().reset();
    dl.manualSeed(5);
    const b = new dl.rl.CartPole().reset();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(() => env.reset(1.5)).toThrow(/rl\.seed: expected an integer seed/);
  });

  it("refuses to step before reset and rejects bad time limits", () => {
    for (const env of [new dl.rl.CartPole(), new dl.rl.MountainCar(), new dl.rl.GridWorld()])
      expect(() => env.step(0)).toThrow(/\.step: called before reset\(\); call env\.reset\(\)/);
    expect(() => new dl.rl.Pendulum().step(0)).toThrow(/Pendulum\.step: called before reset/);
    expect(() => new dl.rl.CartPole({ maxEpisodeSteps: 0 })).toThrow(
      /maxEpisodeSteps must be a positive integer/,
    );
  });

  it("a goal reached on the last allowed step is both terminated and truncated", () => {
    const env = new dl.rl.GridWorld({ map: ["SFG"], maxEpisodeSteps: 2 });
    env.reset(0);
    expect(env.step(2)).toMatchObject({ terminated: false, truncated: false, reward: 0 });
    expect(env.step(2)).toMatchObject({
      observation: 2,
      terminated: true,
      truncated: true,
      reward: 1,
    });
    expect(() => env.step(2)).toThrow(
      /GridWorld\.step: the episode is over \(terminated after 2 steps\)/,
    );
  });

  it("describes itself", () => {
    expect(String(new dl.rl.MountainCar())).toBe(
      "MountainCar(observationSpace=Box([-1.2, -0.07], [0.6, 0.07], [2], float32), actionSpace=Discrete(3), maxEpisodeSteps=200)",
    );
  });
});
