// `node --expose-gc bench/elementwise.mjs [row,...] [--dist DIR] [--threads 1,2] [--min-parallel N]`: the
// elementwise and reduction kernels of issue 12 by wall time (median of repeats) at each
// thread count: 4M-float add, mul, relu, relu(a*b+c), a bias add [4096, 1024] + [1024], the
// sums (whole tensor, over the last dim, over dim 0), and a size sweep of add to find where
// splitting across threads starts to pay. GB/s counts the bytes each op must read and write.
// Uses the built library; on a shared machine say "measured under load" with `uptime`.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

const here = dirname(fileURLToPath(import.meta.url));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const dist = resolve(arg("--dist", join(here, "../dist")));
const counts = arg("--threads", "1,2").split(",").map(Number);
const filter = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "";
const dl = await import(join(dist, "src/index.js"));
// --min-parallel N: elements from which ops split across threads (the crossover sweep).
const { threadSettings } = await import(join(dist, "src/backend/cpu/wasm/settings.js"));
if (arg("--min-parallel")) threadSettings.minParallelElements = Number(arg("--min-parallel"));

/** Median wall milliseconds of `fn` over at least 5 calls and `minMs`. */
function wallMs(fn, minMs = 600) {
  for (let i = 0; i < 3; i++) fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < minMs && samples.length < 2000)) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const N = 4 * 1024 * 1024;
const randn = (shape) => dl.randn(shape);
/** A row: [setup returning the timed call, bytes moved per call]. */
const unary = (f) => [
  () => {
    const a = randn([N]);
    return () => f(a).dispose();
  },
  8 * N,
];
const binary = (f) => [
  () => {
    const [a, b] = [randn([N]), randn([N])];
    return () => f(a, b).dispose();
  },
  12 * N,
];
const ROWS = {
  add4M: binary((a, b) => a.add(b)),
  mul4M: binary((a, b) => a.mul(b)),
  relu4M: unary((a) => a.relu()),
  fused4M: [
    () => {
      const [a, b, c] = [randn([N]), randn([N]), randn([N])];
      return () => dl.tidy(() => a.mul(b).add(c).relu()).dispose();
    },
    16 * N,
  ],
  biasAdd: [
    () => {
      const [a, b] = [randn([4096, 1024]), randn([1024])];
      return () => a.add(b).dispose();
    },
    8 * N,
  ],
  sum4M: [
    () => {
      const a = randn([N]);
      return () => a.sum().dispose();
    },
    4 * N,
  ],
  rowSum: [
    () => {
      const a = randn([4096, 1024]);
      return () => a.sum(-1).dispose();
    },
    4 * N,
  ],
  colSum: [
    () => {
      const a = randn([4096, 1024]);
      return () => a.sum(0).dispose();
    },
    4 * N,
  ],
};
for (const n of [256, 4096, 16384, 32768, 65536, 131072, 262144])
  ROWS[`add${n}`] = [
    () => {
      const [a, b] = [randn([n]), randn([n])];
      return () => a.add(b).dispose();
    },
    12 * n,
  ];

console.log(
  `# ${dl.backendInfo().kernel}, load ${(await import("node:os")).loadavg()[0].toFixed(2)}`,
);
const names = Object.keys(ROWS).filter((r) => !filter || filter.split(",").includes(r));
for (const name of names) {
  const [setup, bytes] = ROWS[name];
  const cells = counts.map((t) => {
    dl.setNumThreads(t);
    dl.manualSeed(0);
    const ms = wallMs(setup());
    globalThis.gc?.();
    const us = ms * 1000;
    return `${t}t ${us < 1000 ? `${us.toFixed(1)} µs` : `${ms.toFixed(2)} ms`} ${(bytes / ms / 1e6).toFixed(1)} GB/s`;
  });
  console.log(`${name.padEnd(10)} ${cells.join("   ")}`);
}
