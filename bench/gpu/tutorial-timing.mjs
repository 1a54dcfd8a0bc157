// `node bench/gpu/tutorial-timing.mjs [--out DIR] [--batches 64,512]`: tutorial 03's GPU cell as a script — the
// same LeNet trained 20 steps from the same weights on the CPU and on WebGPU, the clock
// stopped by reading the last loss back — at the notebook's batch (64) and at 512, so the
// note can say what the tutorial shows on a real GPU. Uses the built library.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import * as dl from "../../dist/src/index.js";
import { lenet } from "../train-steps.mjs";

const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const outDir = option("out", "bench-results");
const batches = option("batches", "64,512").split(",").map(Number);
const STEPS = 20;

async function timeSteps(device, weights, batch) {
  dl.manualSeed(7);
  const m = lenet(dl);
  m.loadStateDict(weights);
  m.to(device);
  m.train();
  const opt = new dl.optim.Adam(m.parameters(), { lr: 1e-3 });
  const xs = dl.randn([batch, 1, 28, 28]).to(device);
  const ys = dl.randint(0, 10, [batch]).to(device);
  const lossFn = new dl.nn.CrossEntropyLoss();
  const step = () =>
    dl.tidy(() => {
      opt.zeroGrad();
      const l = lossFn.forward(m.forward(xs), ys);
      l.backward();
      opt.step();
      return l.detach();
    });
  await step().item(); // warm-up: compiles GPU programs, fills the pool
  const start = performance.now();
  let last = step();
  for (let k = 1; k < STEPS; k++) {
    last.dispose();
    last = step();
  }
  const loss = await last.item();
  return { seconds: (performance.now() - start) / 1000, loss };
}

await dl.useDevice("webgpu");
await dl.useDevice("cpu");
dl.manualSeed(0);
const weights = lenet(dl).stateDict();
const rows = [];
for (const batch of batches) {
  const cpu = await timeSteps("cpu", weights, batch);
  const gpu = await timeSteps("webgpu", weights, batch);
  const row = {
    batch,
    cpuSeconds: cpu.seconds,
    gpuSeconds: gpu.seconds,
    speedup: cpu.seconds / gpu.seconds,
    cpuLoss: cpu.loss,
    gpuLoss: gpu.loss,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "tutorial-03-timing.json"), JSON.stringify(rows, null, 1));
