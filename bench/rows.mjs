// `node bench/rows.mjs [row,row,...] [--dist DIR]`: the rows of issue 12's table (per-op
// overhead, a tiny step, MLP and LeNet-5 Adam steps, conv2d forward and forward+backward,
// max/avg pooling forward+backward) for Dendrite, then PyTorch's from bench/torch_rows.py
// (same definitions, 1 thread) when /usr/bin/python3 has torch, with the ratio torch/dendrite
// in "higher is better" terms (> 1 means Dendrite is ahead). CPU time per call
// (process.cpuUsage), median of repeats: on a shared machine it is inflated less than wall
// time, but still say "measured under load" with any figure. CPU time sums every thread's,
// so this runs Dendrite on one thread (bench/threads.mjs measures threads in wall time).
// Uses the built library.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { adamStep, lenet5, mlp } from "./issue-models.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distArg = process.argv.indexOf("--dist");
const dist = distArg > 0 ? resolve(process.argv[distArg + 1]) : join(here, "../dist");
const dl = await import(join(dist, "src/index.js"));
const F = dl.nn.functional;
dl.setNumThreads(1);
const filter = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "";

/** Median CPU milliseconds of `fn` over at least 5 calls and `minMs` of wall time. */
function cpuMs(fn, minMs = 600) {
  for (let i = 0; i < 2; i++) fn();
  const samples = [];
  const start = performance.now();
  while (samples.length < 5 || (performance.now() - start < minMs && samples.length < 200)) {
    const t0 = process.cpuUsage();
    fn();
    const t = process.cpuUsage(t0);
    samples.push((t.user + t.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const CONV_FLOPS = 2 * 32 * 64 * 32 * 32 * 64 * 9;

function convForward() {
  const x = dl.randn([32, 64, 32, 32]);
  const w = dl.randn([64, 64, 3, 3]);
  const ms = cpuMs(() => dl.tidy(() => F.conv2d(x, w, null, { padding: 1 }).sum().itemSync()));
  return [CONV_FLOPS / ms / 1e6, "GFLOP/s"];
}

function convForwardBackward() {
  const x = dl.randn([32, 64, 32, 32]).requiresGrad_();
  const w = dl.randn([64, 64, 3, 3]).requiresGrad_();
  const ms = cpuMs(() =>
    dl.tidy(() => {
      x.grad = w.grad = null;
      F.conv2d(x, w, null, { padding: 1 }).sum().backward();
      return w.grad.sum().itemSync();
    }),
  );
  return [(3 * CONV_FLOPS) / ms / 1e6, "GFLOP/s"];
}

const pool = (fn) => () => {
  const x = dl.randn([32, 64, 32, 32]).requiresGrad_();
  const ms = cpuMs(() =>
    dl.tidy(() => {
      x.grad = null;
      fn(x, 2).sum().backward();
      return x.grad.sum().itemSync();
    }),
  );
  return [ms, "ms fwd+bwd"];
};

function add1() {
  const [a, b, n] = [dl.tensor([1]), dl.tensor([2]), 20000];
  return [
    (cpuMs(() =>
      dl.tidy(() => {
        for (let i = 0; i < n; i++) a.add(b);
      }),
    ) /
      n) *
      1e6,
    "ns/op",
  ];
}

function tiny() {
  const x = dl.randn([4, 8]);
  const w = dl.randn([8, 8]).requiresGrad_();
  const n = 2000;
  const step = () => {
    w.grad = null;
    x.matmul(w).relu().sum().backward();
  };
  return [
    (cpuMs(() =>
      dl.tidy(() => {
        for (let i = 0; i < n; i++) step();
      }),
    ) /
      n) *
      1e3,
    "us/step",
  ];
}

const train = (build, shape, batch) => () => [
  1000 / cpuMs(adamStep(dl, build, shape, batch), 1500),
  "steps/s",
];

const ROWS = {
  add1,
  tiny,
  mlp128: train(mlp, [784], 128),
  lenet5: train(lenet5, [1, 28, 28], 64),
  convF: convForward,
  convFB: convForwardBackward,
  maxpool: pool((x, k) => F.maxPool2d(x, k)),
  avgpool: pool((x, k) => F.avgPool2d(x, k)),
};
/** Rows where a smaller value is better (times), so the ratio is inverted. */
const LOWER_IS_BETTER = new Set(["add1", "tiny", "maxpool", "avgpool"]);

const names = Object.keys(ROWS).filter((r) => !filter || filter.split(",").includes(r));
const ours = {};
for (const name of names) {
  dl.manualSeed(0);
  const [value, unit] = ROWS[name]();
  ours[name] = value;
  console.log(`dendrite ${name}: ${value.toFixed(1)} ${unit}`);
}

if (existsSync("/usr/bin/python3")) {
  try {
    const out = execFileSync(
      "/usr/bin/python3",
      [join(here, "torch_rows.py"), names.join(","), "1"],
      {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    for (const line of out.trim().split("\n")) {
      const { row, threads, value, unit } = JSON.parse(line);
      const ratio = LOWER_IS_BETTER.has(row) ? value / ours[row] : ours[row] / value;
      console.log(
        `torch ${row} (${threads} thread): ${value.toFixed(1)} ${unit}; dendrite/torch = ${ratio.toFixed(2)}x`,
      );
    }
  } catch (e) {
    console.log(`(no PyTorch comparison: ${String(e.message ?? e).split("\n")[0]})`);
  }
}
