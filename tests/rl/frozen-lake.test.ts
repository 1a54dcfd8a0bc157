import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

// Gymnasium's FrozenLakeEnv.__init__ builds P[s][a] like this (frozen_lake.py, v1), written out
// again here as the reference: slippery moves try (a - 1) % 4, a, (a + 1) % 4 in that order.
function gymP(desc: readonly string[], s: number, a: number): [number, number, number, boolean][] {
  const [nrow, ncol] = [desc.length, desc[0].length];
  const [row, col] = [Math.floor(s / ncol), s % ncol];
  if ("GH".includes(desc[row][col])) return [[1, s, 0, true]];
  return [(a + 3) % 4, a, (a + 1) % 4].map((b) => {
    let [r, c] = [row, col];
    if (b === 0) c = Math.max(c - 1, 0);
    else if (b === 1) r = Math.min(r + 1, nrow - 1);
    else if (b === 2) c = Math.min(c + 1, ncol - 1);
    else r = Math.max(r - 1, 0);
    const letter = desc[r][c];
    return [1 / 3, r * ncol + c, letter === "G" ? 1 : 0, "GH".includes(letter)];
  });
}

describe("FrozenLake", () => {
  it("has Gymnasium's defaults: 4x4, slippery, 100 steps", () => {
    const env = new dl.rl.FrozenLake();
    expect([env.name, env.slippery, env.maxEpisodeSteps]).toEqual(["FrozenLake", true, 100]);
    expect(env.map).toEqual(["SFFF", "FHFH", "FFFH", "HFFG"]);
    const big = new dl.rl.FrozenLake({ map: "8x8" });
    expect([big.nrow, big.ncol, big.maxEpisodeSteps, big.observationSpace.n]).toEqual([
      8, 8, 200, 64,
    ]);
  });

  it("its transition model is Gymnasium's P for every state and action, on both maps", () => {
    for (const map of ["4x4", "8x8"] as const) {
      const env = new dl.rl.FrozenLake({ map });
      for (let s = 0; s < env.observationSpace.n; s++)
        for (let a = 0; a < 4; a++) {
          const ours = env
            .transitions(s, a)
            .map((t) => [t.probability, t.nextState, t.reward, t.terminated]);
          expect(ours, `${map} P[${s}][${a}]`).toEqual(gymP(env.map, s, a));
        }
    }
  });

  it("slips: from the start, 'right' reaches state 1 about a third of the time", () => {
    const env = new dl.rl.FrozenLake();
    const counts = new Map<number, number>();
    env.reset(7);
    for (let i = 0; i < 3000; i++) {
      env.reset();
      const s = env.step(2).observation;
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    // right → 1, down → 4, up → stays at 0; each with probability 1/3 (3 sigma ≈ 0.026).
    for (const s of [0, 1, 4]) expect(Math.abs(counts.get(s)! / 3000 - 1 / 3)).toBeLessThan(0.03);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([0, 1, 4]);
  });
});
