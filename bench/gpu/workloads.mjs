// Dendrite's side of the GPU bench: every workload returns seconds (median of a few runs, each
// ended by a full GPU sync) on the current default device. torch_gpu.py runs the same
// definitions in PyTorch; run.mjs pairs them by name.
import { performance } from "node:perf_hooks";
import { lenet } from "../train-steps.mjs";

/**
 * Seconds per call of `fn`: calls are repeated back to back until one timed batch (ended by a
 * full GPU sync) lasts at least `minSeconds`, then the median of `runs` such batches. Timing a
 * single call would measure the wait for the GPU's completion signal, which Dawn reports
 * with a variable delay (0-20 ms seen on an H200) that can exceed the work itself.
 */
export async function timeIt(backend, fn, { runs = 3, warmup = 2, minSeconds = 0.25 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  await backend.sync();
  const batch = async (reps) => {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await fn();
    await backend.sync();
    return (performance.now() - t0) / 1000;
  };
  let reps = 1;
  for (let t = await batch(reps); t < minSeconds && reps < 4096; t = await batch(reps))
    reps = Math.min(4096, reps * Math.max(2, Math.ceil(minSeconds / Math.max(t, 1e-4) / 2)));
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push((await batch(reps)) / reps);
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export async function gemmSeconds(dl, backend, n, opts) {
  const a = dl.randn([n, n]);
  const b = dl.randn([n, n]);
  const s = await timeIt(backend, () => dl.tidy(() => void dl.matmul(a, b)), opts);
  a.dispose();
  b.dispose();
  return s;
}

/** Checks one product against a float64 reference on a sample of entries (tuning sanity). */
export async function gemmMaxError(dl, n) {
  const a = dl.randn([n, n]);
  const b = dl.randn([n, n]);
  const [av, bv, cv] = await Promise.all([a.data(), b.data(), dl.matmul(a, b).data()]);
  let worst = 0;
  for (let s = 0; s < 64; s++) {
    const i = (s * 7919) % n;
    const j = (s * 104729) % n;
    let ref = 0;
    for (let k = 0; k < n; k++) ref += av[i * n + k] * bv[k * n + j];
    worst = Math.max(worst, Math.abs(ref - cv[i * n + j]) / Math.sqrt(n));
  }
  return worst;
}

/** a.add(b) over n floats: 12 bytes moved per element. */
export async function addSeconds(dl, backend, n) {
  const a = dl.randn([n]);
  const b = dl.randn([n]);
  const s = await timeIt(backend, () => dl.tidy(() => void a.add(b)));
  a.dispose();
  b.dispose();
  return s;
}

/** relu(a*b+c) over n floats: three ops today, so 12+12+8 bytes moved per element. */
export async function chainSeconds(dl, backend, n) {
  const [a, b, c] = [dl.randn([n]), dl.randn([n]), dl.randn([n])];
  const s = await timeIt(backend, () => dl.tidy(() => void a.mul(b).add(c).relu()));
  for (const t of [a, b, c]) t.dispose();
  return s;
}

/** A buffer-to-buffer copy of n floats on the device (8 bytes per element): the ceiling. */
export async function copySeconds(dl, backend, n) {
  const src = dl.randn([n]);
  const dst = dl.zeros([n]);
  const engine = backend.engine;
  const [sb, db] = [src.storage.buffer, dst.storage.buffer];
  const s = await timeIt(backend, () => engine.copy(sb, 0, db, 0, n * 4));
  src.dispose();
  dst.dispose();
  return s;
}

/**
 * Seconds per op in a chain of `count` dependent small adds, awaited once at the end. Each
 * intermediate is disposed as soon as the next exists, as PyTorch's reference counting frees
 * it, so the pool serves every output and the figure is the dispatch path's own cost.
 */
export async function overheadSeconds(dl, backend, count = 1000) {
  const one = dl.ones([256]);
  const run = async () => {
    let x = dl.zeros([256]);
    for (let i = 0; i < count; i++) {
      const next = x.add(one);
      x.dispose();
      x = next;
    }
    await x.data();
    x.dispose();
  };
  return (await timeIt(backend, run, { minSeconds: 0.1 })) / count;
}

/** An LSTM over [B, T, 128] whose last hidden state feeds a linear classifier. */
function lstmModel(dl) {
  const nn = dl.nn;
  const lstm = new nn.LSTM(128, 512, { batchFirst: true });
  const head = new nn.Linear(512, 10);
  return {
    modules: [lstm, head],
    forward: (x) => {
      const [out] = lstm.forward(x);
      return head.forward(out.select(1, -1));
    },
  };
}

/** Four post-norm encoder layers (d512, 8 heads, ff 2048), mean-pooled into a classifier. */
function transformerModel(dl) {
  const nn = dl.nn;
  const layers = Array.from(
    { length: 4 },
    () => new nn.TransformerEncoderLayer(512, 8, { dimFeedforward: 2048, batchFirst: true }),
  );
  const head = new nn.Linear(512, 10);
  return {
    modules: [...layers, head],
    forward: (x) => head.forward(layers.reduce((h, l) => l.forward(h), x).mean(1)),
  };
}

const sequential = (build) => (dl) => {
  const m = build(dl);
  return { modules: [m], forward: (x) => m.forward(x) };
};

/** The training steps: name, model, input shape; forward + cross-entropy + backward + Adam. */
export const TRAINING = [
  {
    name: "MLP 784-1024-1024-10, batch 1024",
    build: sequential(
      ({ nn }) =>
        new nn.Sequential(
          new nn.Linear(784, 1024),
          new nn.ReLU(),
          new nn.Linear(1024, 1024),
          new nn.ReLU(),
          new nn.Linear(1024, 10),
        ),
    ),
    input: [1024, 784],
  },
  { name: "LeNet-5 (BN, dropout), batch 512", build: sequential(lenet), input: [512, 1, 28, 28] },
  { name: "LSTM 128->512, T64, batch 64", build: lstmModel, input: [64, 64, 128] },
  {
    name: "Transformer encoder 4x d512, seq 128, batch 32",
    build: transformerModel,
    input: [32, 128, 512],
  },
];

export async function trainingSeconds(dl, backend, spec) {
  dl.manualSeed(0);
  const model = spec.build(dl);
  const params = model.modules.flatMap((m) => {
    m.train();
    return m.parameters();
  });
  const x = dl.randn(spec.input);
  const y = dl.randint(0, 10, [spec.input[0]]);
  const optimizer = new dl.optim.Adam(params, { lr: 1e-4 });
  const step = () =>
    dl.tidy(() => {
      optimizer.zeroGrad();
      const loss = dl.nn.functional.crossEntropy(model.forward(x), y);
      loss.backward();
      optimizer.step();
    });
  return timeIt(backend, step, { minSeconds: 0.5 });
}
