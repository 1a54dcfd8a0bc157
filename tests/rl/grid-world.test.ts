import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const [LEFT, DOWN, RIGHT, UP] = [0, 1, 2, 3];

/** mulberry32: the test's own random stream, independent of the library's. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("GridWorld", () => {
  it("is FrozenLake's 4x4 map by default: states, holes and the goal", () => {
    const env = new dl.rl.GridWorld();
    expect([env.nrow, env.ncol, env.observationSpace.n, env.actionSpace.n]).toEqual([4, 4, 16, 4]);
    expect(env.reset(0)).toBe(0);
    // Right, right, down, down, down, right: around the holes to the goal at 15.
    const path = [RIGHT, RIGHT, DOWN, DOWN, DOWN, RIGHT].map((a) => env.step(a));
    expect(path.map((r) => r.observation)).toEqual([1, 2, 6, 10, 14, 15]);
    expect(path.map((r) => r.reward)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(path.map((r) => r.terminated)).toEqual([false, false, false, false, false, true]);
    env.reset();
    expect(env.step(DOWN).observation).toBe(4);
    expect(env.step(RIGHT)).toMatchObject({ observation: 5, reward: 0, terminated: true }); // hole
  });

  it("keeps the agent in place at edges and walls, and pays the configured rewards", () => {
    const env = new dl.rl.GridWorld({
      map: ["S#G", ".#.", "..H"],
      rewards: { goal: 10, pit: -5, step: -0.1 },
    });
    env.reset(0);
    expect(env.step(UP)).toMatchObject({ observation: 0, reward: -0.1 });
    expect(env.step(LEFT).observation).toBe(0);
    expect(env.step(RIGHT).observation).toBe(0); // wall
    const moves = [DOWN, DOWN, RIGHT, UP, RIGHT].map((a) => env.step(a));
    expect(moves.map((m) => m.observation)).toEqual([3, 6, 7, 7, 8]);
    expect(moves[4]).toMatchObject({ reward: -5, terminated: true });
    expect(env.transitions(5, UP)).toEqual([
      { probability: 1, nextState: 2, reward: 10, terminated: true },
    ]);
    expect(env.transitions(2, DOWN)).toEqual([
      { probability: 1, nextState: 2, reward: 0, terminated: true },
    ]);
  });

  it("slips to each perpendicular direction with probability 1/3, as its model says", () => {
    const env = new dl.rl.GridWorld({
      map: ["...", ".S.", "..."],
      slippery: true,
      maxEpisodeSteps: 1,
    });
    const model = env.transitions(4, UP);
    // FrozenLake lists (a - 1) % 4, a, (a + 1) % 4: right, up, left for up.
    expect(model.map((t) => t.nextState)).toEqual([5, 1, 3]);
    expect(model.map((t) => t.probability)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const counts = new Map<number, number>();
    const n = 6000;
    env.reset(123);
    for (let i = 0; i < n; i++) {
      env.reset();
      const { observation, info } = env.step(UP);
      counts.set(observation, (counts.get(observation) ?? 0) + 1);
      if (info.prob !== 1 / 3) throw new Error(`info.prob = ${info.prob}`);
    }
    expect([...counts.keys()].sort()).toEqual([1, 3, 5]);
    // Binomial sd: sqrt(6000 / 3 * 2 / 3) = 36.5; allow 5 sd.
    for (const c of counts.values()) expect(Math.abs(c - n / 3)).toBeLessThan(183);
  });

  it("rejects malformed maps and actions with clear messages", () => {
    expect(() => new dl.rl.GridWorld({ map: ["S.", "..."] })).toThrow(
      /map row 1 has 3 cells but row 0 has 2/,
    );
    expect(() => new dl.rl.GridWorld({ map: ["S.x"] })).toThrow(
      /map row 0 holds "x"; expected one of S G H F \. #/,
    );
    expect(() => new dl.rl.GridWorld({ map: ["..G"] })).toThrow(/exactly one start S, found 0/);
    const env = new dl.rl.GridWorld();
    env.reset(0);
    expect(() => env.step(4)).toThrow(
      /GridWorld\.step: action 4 is not in the action space Discrete\(4\)/,
    );
    expect(() => env.transitions(16, 0)).toThrow(
      /GridWorld\.transitions: state 16 is not in Discrete\(16\)/,
    );
  });

  it("tabular Q-learning with plain arrays solves the deterministic 4x4 lake", () => {
    const env = new dl.rl.GridWorld();
    const nS = env.observationSpace.n;
    const Q = Array.from({ length: nS }, () => [0, 0, 0, 0]);
    const random = mulberry32(0);
    // Ties broken at random: with all-zero values a fixed choice would walk into the same wall.
    const greedy = (s: number) => {
      const best = Math.max(...Q[s]);
      const ties = [0, 1, 2, 3].filter((a) => Q[s][a] === best);
      return ties[Math.floor(random() * ties.length)];
    };
    const [alpha, gamma] = [0.5, 0.95];
    let successes = 0;
    for (let episode = 0; episode < 300; episode++) {
      const epsilon = Math.max(0.05, 1 - episode / 150);
      let s = env.reset(episode);
      for (;;) {
        const a = random() < epsilon ? Math.floor(random() * 4) : greedy(s);
        const { observation, reward, terminated, truncated } = env.step(a);
        const target = reward + (terminated ? 0 : gamma * Math.max(...Q[observation]));
        Q[s][a] += alpha * (target - Q[s][a]);
        s = observation;
        if (terminated || truncated) {
          if (episode >= 250 && reward === 1) successes++;
          break;
        }
      }
    }
    expect(successes).toBeGreaterThan(35); // of the last 50 episodes, despite 5% exploration
    let s = env.reset(0);
    let ret = 0;
    let steps = 0;
    for (;;) {
      const r = env.step(greedy(s));
      [s, ret, steps] = [r.observation, ret + r.reward, steps + 1];
      if (r.terminated || r.truncated) break;
    }
    expect({ s, ret, steps }).toEqual({ s: 15, ret: 1, steps: 6 }); // the shortest path
  });
});
