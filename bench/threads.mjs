// `node bench/threads.mjs [--dist DIR] [--threads 1,2]`: what threads buy. Wall time (CPU time
// would sum the threads), median of repeats, for each thread count: GEMM 1024 through
// dl.matmul and through the bare kernel (the difference is the packing and copying around
// it), conv2d 3×3 64→64 on 32×32 batch 32 forward with its im2col and its product timed
// apart (to show what the threads do not split), the MLP and LeNet-5 Adam steps of issue 12's
// table, and a sweep of small square products that places threadSettings.minParallelMacs.
// CPU time of all threads is printed too: work per CPU-second that stays level from 1 to N
// threads shows the split costs nothing, whatever other load does to the wall time.
// On a shared machine other processes take cores: say "measured under load" with any figure.
// matmul runs the native kernels where built (the kernel rows are always the WebAssembly GEMM);
// bench/kernels.mjs compares the paths.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { adamStep, lenet5, mlp } from "./issue-models.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(arg("--dist", join(here, "../dist")));
const dl = await import(join(dist, "src/index.js"));
const { wasmGemm } = await import(join(dist, "src/backend/cpu/wasm/gemm.js"));
const { threadSettings } = await import(join(dist, "src/backend/cpu/wasm/settings.js"));
const { im2col } = await import(join(dist, "src/ops/windows.js"));
const counts = arg("--threads", "1,2").split(",").map(Number);

/** CPU milliseconds per call (all threads together) of the last wallMs measurement. */
let lastCpuMs = 0;

/** Median wall milliseconds of `fn` over at least 5 calls and `minMs`. */
function wallMs(fn, minMs = 800) {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (samples.length < 5 || (performance.now() - start < minMs && samples.length < 500)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  lastCpuMs = (cpu.user + cpu.system) / 1000 / samples.length;
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

async function useThreads(n) {
  dl.setNumThreads(n);
  wasmGemm(256, 256, 256).run(); // starts the WebAssembly workers
  dl.matmul(dl.ones([256, 256]), dl.ones([256, 256])).dispose(); // or the native pool's
  for (let i = 0; i < 400 && dl.backendInfo().threadsRunning < n; i++)
    await new Promise((r) => setTimeout(r, 5));
  return dl.backendInfo();
}

function gemmRows(n) {
  const a = dl.randn([n, n]);
  const b = dl.randn([n, n]);
  const viaMatmul = wallMs(() => dl.matmul(a, b).dispose());
  const ws = wasmGemm(n, n, n);
  ws.A.set(a.dataSync());
  ws.B.set(b.dataSync());
  const kernel = wallMs(() => ws.run());
  const gflops = (ms) => (2 * n ** 3) / ms / 1e6;
  return {
    [`matmul ${n} GFLOP/s`]: gflops(viaMatmul),
    [`kernel ${n} GFLOP/s`]: gflops(kernel),
    // Work per CPU-second of all threads: equal at 1 and N threads means the split wastes
    // nothing, so on idle cores the wall time divides by N.
    [`kernel ${n} GFLOP/cpu-s`]: gflops(lastCpuMs),
  };
}

/** conv2d forward in GFLOP/s, and the milliseconds of its im2col and of its matmul alone. */
function convRows() {
  const x = dl.randn([32, 64, 32, 32]);
  const w = dl.randn([64, 64, 3, 3]);
  const flops = 2 * 32 * 64 * 32 * 32 * 64 * 9;
  const conv = wallMs(() =>
    dl.tidy(() => void dl.nn.functional.conv2d(x, w, null, { padding: 1 })),
  );
  const attrs = { kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: [1, 1] };
  const unfold = () => im2col(x, { ...attrs, out: [32, 32], padValue: 0 });
  const cols = unfold().reshape([576, 32 * 32 * 32]);
  const w2 = w.reshape([64, 576]);
  return {
    "conv fwd GFLOP/s": flops / conv / 1e6,
    "conv im2col ms": wallMs(() => unfold().dispose()),
    "conv matmul ms": wallMs(() => w2.matmul(cols).dispose()),
  };
}

/** Steps per second (wall) and CPU ms per step (all threads). */
function steps(name, build, shape, batch) {
  const perSecond = 1000 / wallMs(adamStep(dl, build, shape, batch), 1500);
  return { [`${name} steps/s`]: perSecond, [`${name} cpu ms/step`]: lastCpuMs };
}

const results = {};
for (const n of counts) {
  const info = await useThreads(n);
  const r = {
    ...gemmRows(1024),
    ...convRows(),
    ...steps("MLP b128", mlp, [784], 128),
    ...steps("LeNet-5 b64", lenet5, [1, 28, 28], 64),
  };
  results[`${n} thread${n > 1 ? "s" : ""} (${info.threadsRunning} running)`] = r;
  console.log(
    n,
    JSON.stringify(r, (_k, v) => (typeof v === "number" ? +v.toFixed(1) : v)),
  );
}
console.table(results);

// Small products: bare kernel microseconds at each thread count, threshold lifted.
const saved = threadSettings.minParallelMacs;
threadSettings.minParallelMacs = 0;
const sweep = {};
for (const size of [32, 48, 64, 96, 128, 192, 256]) {
  const ws = wasmGemm(size, size, size);
  ws.A.fill(0.5);
  ws.B.fill(0.25);
  const row = {};
  for (const n of counts) {
    await useThreads(n);
    row[`${n}t µs`] = +(wallMs(() => ws.run(), 300) * 1000).toFixed(1);
  }
  sweep[`${size}³ (${size ** 3} MACs)`] = row;
}
threadSettings.minParallelMacs = saved;
console.table(sweep);
console.log(`(threshold now: ${saved} MACs; wall time, measured under load on a shared machine)`);
