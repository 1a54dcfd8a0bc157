// `node bench/steps.mjs [mlp|lenet] [--dist DIR]`: CPU milliseconds per training step
// (process.cpuUsage, so other load on a shared machine inflates it less than wall time),
// best and median of several repeats, then PyTorch's figures from torch_compare.py when
// /usr/bin/python3 has torch. Uses the built library (npm run build).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { STEP_MODELS, trainStep } from "./train-steps.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distArg = process.argv.indexOf("--dist");
const dist = distArg > 0 ? resolve(process.argv[distArg + 1]) : join(here, "../dist");
const dl = await import(join(dist, "src/index.js"));
const only = process.argv.slice(2).find((a) => a in STEP_MODELS);

/** CPU ms per call of `fn`: `repeats` batches of `steps` calls after a warm-up. */
function cpuTime(fn, { warmup = 5, steps = 20, repeats = 5 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let r = 0; r < repeats; r++) {
    globalThis.gc?.();
    const t0 = process.cpuUsage();
    for (let i = 0; i < steps; i++) fn();
    const t = process.cpuUsage(t0);
    samples.push((t.user + t.system) / 1000 / steps);
  }
  samples.sort((a, b) => a - b);
  return { best: samples[0], median: samples[Math.floor(samples.length / 2)] };
}

const results = {};
for (const [name, m] of Object.entries(STEP_MODELS)) {
  if (only && name !== only) continue;
  const step = trainStep(dl, m.build, m.inputShape);
  results[name] = cpuTime(step, name === "lenet" ? { steps: 10 } : {});
  const r = results[name];
  console.log(`dendrite ${name}: ${r.best.toFixed(2)} ms/step best, ${r.median.toFixed(2)} median`);
}

const python = "/usr/bin/python3";
if (existsSync(python)) {
  try {
    const out = execFileSync(python, [join(here, "torch_compare.py"), ...(only ? [only] : [])], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    for (const line of out.trim().split("\n")) {
      const row = JSON.parse(line);
      const ours = results[row.model];
      if (!ours) continue;
      const ratio = (row.best / ours.best).toFixed(2);
      console.log(
        `torch ${row.model} threads=${row.threads}: ${row.best.toFixed(2)} ms/step best, ` +
          `${row.median.toFixed(2)} median; torch/dendrite = ${ratio}x`,
      );
    }
  } catch (e) {
    console.log(`(no PyTorch comparison: ${String(e.message ?? e).split("\n")[0]})`);
  }
}
