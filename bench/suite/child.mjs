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

/** A task turn between calls: finalizers run and freed buffers go back to the pools. */
const turn = () => new Promise((r) => setImmediate(r));

/** Median wall time of `call` after a warm-up, over at least 5 calls and MIN_MS. */
async function medianMs(call) {
  for (let i = 0; i < 3; i++) {
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
