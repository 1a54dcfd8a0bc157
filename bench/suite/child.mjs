// One workload of `npm run bench` in a process of its own, so no workload pays for another's
// garbage: `node bench/suite/child.mjs dendrite|tfjs-wasm WORKLOAD THREADS [DIST]`. Prints one
// JSON line: the median wall milliseconds of one call, and what ran it.
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { setImmediate } from "node:timers";
import { DENDRITE } from "./dendrite_workloads.mjs";
import { TFJS, loadTfjsWasm } from "./tfjs_workloads.mjs";

const [impl, workload, threadsArg, distArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const MIN_MS = 1500;
// The warm-up, the same wall time on every side (torch_workloads.py's WARM_S): the eager path
// is JavaScript that V8 compiles while it runs, and tutorial 02's step went from 2.2 to 0.9 ms
// over its first ~0.7 s (150-call medians, one process), so three calls left most of the
// measured second in that ramp and the row moved 476–851 steps/s between runs.
const WARM_MS = 1000;

/** A task turn between calls: finalizers run and freed buffers go back to the pools. */
const turn = () => new Promise((r) => setImmediate(r));

/**
 * Median wall time of `call` after a warm-up (3 calls and WARM_MS), over at least 5 calls and
 * MIN_MS.
 */
async function medianMs(call) {
  const warm = performance.now();
  for (let i = 0; i < 3 || performance.now() - warm < WARM_MS; i++) {
    await call();
    await turn();
  }
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < MIN_MS && samples.length < 200)) {
    const t0 = performance.now();
    await call();
    samples.push(performance.now() - t0);
    await turn();
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)], samples: samples.length };
}

async function setUp() {
  if (impl === "tfjs-wasm") {
    const tf = await loadTfjsWasm();
    return { call: TFJS[workload](tf), info: { backend: tf.getBackend(), threads: 1 } };
  }
  const dist = resolve(distArg ?? join(import.meta.dirname, "../../dist"));
  const dl = await import(join(dist, "src/index.js"));
  dl.setNumThreads(threads);
  dl.manualSeed(0);
  const call = DENDRITE[workload](dl);
  return { call, info: dl.backendInfo(), after: () => dl.backendInfo() };
}

const { call, info, after } = await setUp();
const result = await medianMs(call);
// Threads start with the first large product: report what ran, after the calls.
console.log(JSON.stringify({ impl, workload, threads, ...result, info: after?.() ?? info }));
