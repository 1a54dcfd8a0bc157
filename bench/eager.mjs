// `node bench/eager.mjs [row,row,...] [--dist DIR]`: the eager-path rows of issue 12 — per-op
// overhead (1-element add, the tiny step), elementwise and reductions over 4M floats, and the
// training steps (MLP b128, LeNet-5 b64, the Embedding + LSTM + linear step of the RNN rows),
// as CPU milliseconds (process.cpuUsage, median of repeats) on one thread. Uses the built
// library. On a shared machine say "measured under load" with the `uptime` load.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { adamStep, lenet5, mlp } from "./issue-models.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const distArg = process.argv.indexOf("--dist");
const dist = distArg > 0 ? resolve(process.argv[distArg + 1]) : join(here, "../dist");
const dl = await import(join(dist, "src/index.js"));
const nn = dl.nn;
dl.setNumThreads(1);
const filter = process.argv[2] && !process.argv[2].startsWith("--") ? process.argv[2] : "";

/** Median CPU milliseconds of `fn` over at least 5 calls and `minMs` of wall time. */
function cpuMs(fn, minMs = 800) {
  for (let i = 0; i < 3; i++) fn();
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

const N = 4 * 1024 * 1024;
const big = () => [0, 1, 2].map(() => dl.randn([N]));

/** `n` repeats of a tiny op per sample, reported per op. */
const perOp = (n, unit, scale, body) => () => [
  (cpuMs(() => dl.tidy(() => body(n))) / n) * scale,
  unit,
];

function lstmStep() {
  // Embedding 64→32, LSTM 128 hidden, linear to 64 classes, batch 32, 32 steps, Adam.
  dl.manualSeed(0);
  const embed = new nn.Embedding(64, 32);
  const lstm = new nn.LSTM(32, 128, { batchFirst: true });
  const head = new nn.Linear(128, 64);
  const params = [...embed.parameters(), ...lstm.parameters(), ...head.parameters()];
  const opt = new dl.optim.Adam(params, { lr: 1e-3 });
  const x = dl.randint(0, 64, [32, 32]);
  const y = dl.randint(0, 64, [32 * 32]);
  const lossFn = new nn.CrossEntropyLoss();
  return () =>
    dl.tidy(() => {
      opt.zeroGrad();
      const [out] = lstm.forward(embed.forward(x));
      const loss = lossFn.forward(head.forward(out).reshape([32 * 32, 64]), y);
      loss.backward();
      opt.step();
      return loss.itemSync();
    });
}

const ROWS = {
  add1: () => {
    const [a, b] = [dl.tensor([1]), dl.tensor([2])];
    return perOp(20000, "ns/op", 1e6, (n) => {
      for (let i = 0; i < n; i++) a.add(b);
    })();
  },
  tiny: () => {
    const x = dl.randn([4, 8]);
    const w = dl.randn([8, 8]).requiresGrad_();
    return perOp(2000, "us/step", 1e3, (n) => {
      for (let i = 0; i < n; i++) {
        w.grad = null;
        x.matmul(w).relu().sum().backward();
      }
    })();
  },
  add4M: () => {
    const [a, b] = big();
    return [cpuMs(() => a.add(b).dispose()), "ms"];
  },
  fused4M: () => {
    const [a, b, c] = big();
    return [cpuMs(() => dl.tidy(() => a.mul(b).add(c).relu()).dispose()), "ms"];
  },
  sum4M: () => {
    const [a] = big();
    return [cpuMs(() => a.sum().dispose()), "ms"];
  },
  rowsum: () => {
    const a = dl.randn([4096, 1024]);
    return [cpuMs(() => a.sum(-1).dispose()), "ms"];
  },
  softmax: () => {
    const a = dl.randn([4096, 1024]);
    return [cpuMs(() => dl.tidy(() => nn.functional.softmax(a, -1)).dispose()), "ms"];
  },
  xent: () => {
    const a = dl.randn([4096, 1024]).requiresGrad_();
    const y = dl.randint(0, 1024, [4096]);
    return [
      cpuMs(() =>
        dl.tidy(() => {
          a.grad = null;
          nn.functional.crossEntropy(a, y).backward();
        }),
      ),
      "ms fwd+bwd",
    ];
  },
  mlp128: () => [1000 / cpuMs(adamStep(dl, mlp, [784], 128), 1500), "steps/s"],
  lenet5: () => [1000 / cpuMs(adamStep(dl, lenet5, [1, 28, 28], 64), 1500), "steps/s"],
  lstm: () => [1000 / cpuMs(lstmStep(), 2000), "steps/s"],
};

const names = Object.keys(ROWS).filter((r) => !filter || filter.split(",").includes(r));
for (const name of names) {
  dl.manualSeed(0);
  const [value, unit] = ROWS[name]();
  console.log(`dendrite ${name}: ${value.toFixed(2)} ${unit}`);
}
