import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const push = (buf: dl.rl.ReplayBuffer, i: number) =>
  buf.push({
    observation: [i, -i],
    action: i % 3,
    reward: i / 2,
    nextObservation: Float32Array.of(i + 1, -i - 1),
    terminated: i % 2 === 0,
  });

describe("ReplayBuffer", () => {
  it("batches transitions as tensors with matching rows, dtypes and shapes", () => {
    dl.manualSeed(0);
    const buf = new dl.rl.ReplayBuffer(100);
    for (let i = 0; i < 10; i++) push(buf, i);
    expect(buf.length).toBe(10);
    const b = buf.sample(4);
    expect(b.observation.shape).toEqual([4, 2]);
    expect(b.observation.dtype).toBe("float32");
    expect(b.action.shape).toEqual([4]);
    expect(b.action.dtype).toBe("int32");
    expect([b.reward.dtype, b.terminated.dtype]).toEqual(["float32", "float32"]);
    const obs = b.observation.toArraySync() as number[][];
    const next = b.nextObservation.toArraySync() as number[][];
    const act = b.action.toArraySync() as number[];
    const rew = b.reward.toArraySync() as number[];
    const done = b.terminated.toArraySync() as number[];
    obs.forEach(([i, minus], row) => {
      expect(minus).toBe(-i);
      expect(next[row]).toEqual([i + 1, -i - 1]);
      expect(act[row]).toBe(i % 3);
      expect(rew[row]).toBe(i / 2);
      expect(done[row]).toBe(i % 2 === 0 ? 1 : 0);
    });
    expect(new Set(obs.map((r) => r[0])).size).toBe(4); // without replacement
    // The batch plugs into a DQN target as is: Q(s, a) picked by the int32 actions.
    const q = dl.arange(12).reshape([4, 3]).float();
    const picked = q.gather(1, b.action.unsqueeze(1)).squeeze(1).toArraySync() as number[];
    expect(picked).toEqual(act.map((a, row) => row * 3 + a));
  });

  it("overwrites the oldest transitions once full", () => {
    const buf = new dl.rl.ReplayBuffer(5);
    for (let i = 0; i < 8; i++) push(buf, i);
    expect(buf.length).toBe(5);
    const ids = (buf.sample(5).observation.toArraySync() as number[][]).map((r) => r[0]);
    expect(ids.sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7]);
    buf.clear();
    expect(buf.length).toBe(0);
    expect(String(buf)).toBe("ReplayBuffer(length=0, capacity=5)");
  });

  it("samples every stored transition equally often, in every batch position", () => {
    dl.manualSeed(1);
    const buf = new dl.rl.ReplayBuffer(10);
    for (let i = 0; i < 10; i++)
      buf.push({ observation: i, action: 0, reward: 0, nextObservation: i, terminated: false });
    const n = 2000;
    const hits = new Array(10).fill(0);
    const firstSlot = new Array(10).fill(0);
    for (let k = 0; k < n; k++) {
      const ids = buf.sample(3).observation.toArraySync() as number[];
      ids.forEach((id) => hits[id]++);
      firstSlot[ids[0]]++;
      if (new Set(ids).size !== 3) throw new Error(`repeated index in ${ids}`);
    }
    // Inclusion probability 3/10: mean 600, sd sqrt(2000 * 0.3 * 0.7) = 20.5; allow 5 sd.
    hits.forEach((h) => expect(Math.abs(h - 600)).toBeLessThan(102));
    // Position 0 holds each index with probability 1/10: mean 200, sd 13.4.
    firstSlot.forEach((h) => expect(Math.abs(h - 200)).toBeLessThan(67));
  });

  it("is reproducible under dl.manualSeed", () => {
    const buf = new dl.rl.ReplayBuffer(50);
    for (let i = 0; i < 50; i++) push(buf, i);
    const draw = () => {
      dl.manualSeed(3);
      return buf.sample(8).action.toArraySync();
    };
    expect(draw()).toEqual(draw());
  });

  it("stores continuous actions as float32 rows", () => {
    const env = new dl.rl.Pendulum();
    const buf = new dl.rl.ReplayBuffer(8);
    let obs = env.reset(0);
    for (let i = 0; i < 8; i++) {
      const action = env.actionSpace.sample();
      const r = env.step(action);
      buf.push({
        observation: obs,
        action,
        reward: r.reward,
        nextObservation: r.observation,
        terminated: r.terminated,
      });
      obs = r.observation;
    }
    const b = buf.sample(8);
    expect([b.action.shape, b.action.dtype, b.observation.shape]).toEqual([
      [8, 1],
      "float32",
      [8, 3],
    ]);
  });

  it("explains misuse", () => {
    expect(() => new dl.rl.ReplayBuffer(0)).toThrow(
      /ReplayBuffer: capacity must be a positive integer, got 0/,
    );
    const buf = new dl.rl.ReplayBuffer(4);
    expect(() => buf.sample(1)).toThrow(
      /ReplayBuffer\.sample: asked for 1 transitions but only 0 are stored/,
    );
    push(buf, 1);
    expect(() => buf.sample(2)).toThrow(
      /asked for 2 transitions but only 1 are stored \(capacity 4\)/,
    );
    const base = {
      observation: [0, 0],
      action: 1,
      reward: 0,
      nextObservation: [0, 0],
      terminated: false,
    };
    expect(() => buf.push({ ...base, action: 0.5 })).toThrow(
      /action 0\.5 is not an integer.*pass continuous values as arrays/,
    );
    expect(() => buf.push({ ...base, observation: [1, 2, 3] })).toThrow(
      /observation has 3 values, but earlier pushes stored arrays of 2/,
    );
    expect(() => buf.push({ ...base, action: [1] })).toThrow(
      /action has 1 values, but earlier pushes stored integers/,
    );
    expect(() => buf.push({ ...base, observation: 3 })).toThrow(
      /observation is the number 3, but earlier pushes stored arrays of 2/,
    );
    expect(() => buf.push({ ...base, reward: NaN })).toThrow(/reward must be a finite number/);
    expect(buf.length).toBe(1);
  });
});
