// `npm run bench`: Dendrite against TensorFlow.js (CPU and WASM backends) in one run,
// printing milliseconds per call and the ratio peer/dendrite (> 1 means Dendrite is faster).
// Uses the built library (dist/), so run `npm run build` after changing src/.
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as dl from "../dist/src/index.js";
import { cases } from "./cases.mjs";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const wasm = require("@tensorflow/tfjs-backend-wasm");
wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/"));

const gc = globalThis.gc ?? (() => {});

/** Median wall time of `fn` (async-aware) after warm-up, at least `minMs` of samples. */
async function time(fn, { warmup = 2, minRuns = 5, minMs = 400 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < minMs) {
    gc();
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
    if (samples.length >= 50) break;
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const filter = process.argv[2];
const rows = [];
for (const c of cases) {
  if (filter && !c.name.includes(filter)) continue;
  const d = c.dendrite(dl);
  const ms = { dendrite: await time(d.run) };
  d.dispose?.();
  for (const backend of ["cpu", "wasm"]) {
    await tf.setBackend(backend);
    await tf.ready();
    try {
      if (!c.tfjs) throw new Error(c.noTfjs);
      const p = c.tfjs(tf);
      ms[`tfjs-${backend}`] = await time(p.run);
      p.dispose?.();
    } catch (e) {
      // No peer figure (no equivalent in tfjs, or a kernel it lacks): say why.
      ms[`tfjs-${backend}`] = NaN;
      console.log(`${c.name} on tfjs-${backend}: ${String(e.message ?? e).split("\n")[0]}`);
    }
  }
  const ratio = (peer) => (Number.isNaN(peer) ? "n/a" : (peer / ms.dendrite).toFixed(2) + "x");
  const row = {
    case: c.name,
    "dendrite ms": ms.dendrite.toFixed(2),
    "tfjs-cpu ms": ms["tfjs-cpu"].toFixed(2),
    "tfjs-wasm ms": ms["tfjs-wasm"].toFixed(2),
    "vs tfjs-cpu": ratio(ms["tfjs-cpu"]),
    "vs tfjs-wasm": ratio(ms["tfjs-wasm"]),
  };
  if (c.flops) row["dendrite GFLOP/s"] = (c.flops / ms.dendrite / 1e6).toFixed(2);
  rows.push(row);
  console.log(JSON.stringify(row));
}
console.table(rows);
console.log("ratio = peer time / Dendrite time: above 1x Dendrite is faster.");
