// Whole training runs on WebGPU: the same seeded MLP and small CNN trained on the CPU and on
// the GPU end with matching losses, and a loop written as the tutorials write it (no tidy)
// keeps GPU memory flat over 2,000 steps.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { gpuAvailable } from "./gpu.js";

// The memory check samples after collections and task turns (when finalizers run): how much a
// sample catches otherwise depends on when V8 chose to collect, and a bound on that is a bound
// on V8's heuristics, not on Dendrite.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Collects and yields until two readings agree (at most five rounds). One collection and two
 * turns were not always enough on a loaded CI machine: one sample in twenty caught a hundred
 * steps of dropped tensors whose finalizers had not run yet (the next sample was back at the
 * warm level). A leak never settles lower, so the bounds below still catch one.
 */
async function settled(read: () => number): Promise<number> {
  let previous = Number.NaN;
  for (let round = 0; round < 5; round++) {
    collect();
    await turn();
    await turn();
    const now = read();
    if (now === previous) return now;
    previous = now;
  }
  return previous;
}

const { nn } = dl;
const F = dl.nn.functional;

function mlp(seed: number) {
  dl.manualSeed(seed);
  return new nn.Sequential(
    new nn.Linear(20, 32),
    new nn.ReLU(),
    new nn.Linear(32, 16),
    new nn.Tanh(),
    new nn.Linear(16, 4),
  );
}

function data(seed: number): [Tensor, Tensor] {
  dl.manualSeed(seed);
  return [dl.randn([64, 20]), dl.randint(0, 4, [64])];
}

/** The same loop on both devices: cross-entropy steps, each loss read back. */
async function fit(
  model: dl.nn.Module,
  x: dl.Tensor,
  y: dl.Tensor,
  opt: { zeroGrad(): void; step(): void },
  steps: number,
): Promise<number[]> {
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = F.crossEntropy(model.forward(x), y);
    opt.zeroGrad();
    loss.backward();
    opt.step();
    losses.push(await loss.item());
  }
  return losses;
}

async function train(device: "cpu" | "webgpu", steps: number): Promise<number[]> {
  const model = mlp(11).to(device);
  const [x, y] = data(12).map((t) => t.to(device));
  const opt = new dl.optim.Adam(model.parameters(), { lr: 0.01 });
  return fit(model, x, y, opt, steps);
}

/** conv → batch norm → relu → max pool → linear, on 8×8 one-channel images. */
function cnn(seed: number) {
  dl.manualSeed(seed);
  return new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }),
    new nn.BatchNorm2d(4),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Flatten(),
    new nn.Linear(4 * 4 * 4, 3),
  );
}

async function trainCnn(device: "cpu" | "webgpu", steps: number): Promise<number[]> {
  const model = cnn(31).to(device);
  dl.manualSeed(32);
  const [x, y] = [dl.randn([8, 1, 8, 8]), dl.randint(0, 3, [8])].map((t) => t.to(device));
  const opt = new dl.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  return fit(model, x, y, opt, steps);
}

/** Every step's loss agrees (float32 rounding grows a little over the steps). */
function expectSameLosses(cpu: number[], gpu: number[]): void {
  expect(cpu[cpu.length - 1]).toBeLessThan(cpu[0] * 0.7); // it does learn
  for (let i = 0; i < cpu.length; i++)
    expect(Math.abs(gpu[i] - cpu[i]), `step ${i}: ${gpu[i]} vs ${cpu[i]}`).toBeLessThan(
      1e-3 * Math.abs(cpu[i]) + 1e-5,
    );
}

describe.skipIf(!gpuAvailable)("training on webgpu", () => {
  it("the same seeded MLP trained with Adam ends with the CPU's losses", async () => {
    const steps = 40;
    expectSameLosses(await train("cpu", steps), await train("webgpu", steps));
  });

  it("the same seeded small CNN trained with SGD ends with the CPU's losses", async () => {
    const steps = 15;
    expectSameLosses(await trainCnn("cpu", steps), await trainCnn("webgpu", steps));
  });

  it(
    "2,000 steps without tidy keep dl.memory() flat on the GPU",
    { timeout: 150_000 },
    async () => {
      // Small, so 2,000 steps fit the suite's time on a software GPU (SwiftShader).
      dl.manualSeed(21);
      const model = new nn.Sequential(new nn.Linear(8, 16), new nn.ReLU(), new nn.Linear(16, 3));
      model.to("webgpu");
      const x = dl.randn([16, 8], { device: "webgpu" });
      const y = dl.randint(0, 3, [16], { device: "webgpu" });
      const opt = new dl.optim.SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
      const gpuBytes = () => dl.memory().byDevice.webgpu?.bytes ?? 0;
      const samples: number[] = [];
      let last = 0;
      for (let step = 1; step <= 2000; step++) {
        const loss = F.crossEntropy(model.forward(x), y);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        if (step % 100 === 0) {
          last = await loss.item(); // the tutorials log every 100 steps
          samples.push(await settled(gpuBytes));
        }
      }
      expect(Number.isFinite(last)).toBe(true);
      // Dropped tensors are reclaimed once the garbage collector has found them; nothing
      // accumulates: the bytes keep returning to the warm level and the peaks do not grow.
      const log = `GPU bytes by 100 steps: ${samples.join(", ")}`;
      const warm = samples[1];
      const early = Math.max(...samples.slice(1, 10));
      expect(Math.min(...samples.slice(10)), log).toBeLessThanOrEqual(warm + 65536);
      expect(Math.max(...samples.slice(10)), log).toBeLessThanOrEqual(2 * early + 65536);
      const backend = dl.devices().find((d) => d.device === "webgpu");
      expect(backend?.initialised).toBe(true);
    },
  );
});
