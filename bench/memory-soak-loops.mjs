// The three training loops of the memory soak (bench/memory-soak.mjs), shared with the short
// soak test (tests/memory/soak.test.ts). Each is written as a PyTorch user would: no tidy, no
// dispose, no macrotask turn. `at` lists the steps to sample; returns one row per sample.

const TEXT =
  "the quick brown fox jumps over the lazy dog. pack my box with five dozen liquor jugs. " +
  "how vexingly quick daft zebras jump! sphinx of black quartz, judge my vow. ";

/** Called with every sample as it is taken (the bench prints progress with it). */
let onSample = () => {};

function sample(dl, step, loss) {
  const m = dl.memory();
  const row = { step, tensors: m.tensors, bytes: m.bytes, rss: process.memoryUsage().rss, loss };
  onSample(row);
  return row;
}

function mlpSetup(dl) {
  dl.manualSeed(0);
  const nn = dl.nn;
  const model = new nn.Sequential(new nn.Linear(784, 64), new nn.ReLU(), new nn.Linear(64, 10));
  const device = dl.devices().find((d) => d.isDefault).device;
  if (device !== "cpu") model.to(device);
  const optimizer = new dl.optim.Adam(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  return { model, optimizer, lossFn };
}

/** Synchronous loop: the whole run is one job, loss read with itemSync() (CPU only). */
export function syncLoop(dl, steps, at) {
  const { model, optimizer, lossFn } = mlpSetup(dl);
  const rows = [];
  for (let step = 1; step <= steps; step++) {
    const x = dl.randn([32, 784]);
    const y = dl.randint(0, 10, [32]);
    const logits = model.forward(x);
    const loss = lossFn.forward(logits, y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    // A GPU tensor cannot be read synchronously: there the loop only trains.
    const value = dl.devices().find((d) => d.isDefault).device === "cpu" ? loss.itemSync() : NaN;
    if (at.has(step)) rows.push(sample(dl, step, value));
  }
  return rows;
}

/**
 * Async loop whose awaits resolve at once on the CPU (microtasks only, no task turn); with
 * `yieldTask`, one that also yields a task every step (finalizers can run there).
 */
export async function asyncLoop(dl, steps, at, yieldTask = false) {
  const { model, optimizer, lossFn } = mlpSetup(dl);
  const rows = [];
  for (let step = 1; step <= steps; step++) {
    const x = dl.randn([32, 784]);
    const y = dl.randint(0, 10, [32]);
    const loss = lossFn.forward(model.forward(x), y);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    const value = await loss.item();
    if (yieldTask) await new Promise((resolve) => setTimeout(resolve, 0));
    if (at.has(step)) rows.push(sample(dl, step, value));
  }
  return rows;
}

/** Truncated BPTT: an LSTM over a text, 16-character chunks, hidden state detached. */
export async function tbpttLoop(dl, steps, at) {
  dl.manualSeed(0);
  const nn = dl.nn;
  const tok = new dl.data.CharTokenizer(TEXT);
  const ids = tok.encode(TEXT.repeat(4));
  const vocab = tok.vocabSize;
  const device = dl.devices().find((d) => d.isDefault).device;
  const embed = new nn.Embedding(vocab, 16);
  const lstm = new nn.LSTM(16, 32);
  const head = new nn.Linear(32, vocab);
  for (const m of [embed, lstm, head]) if (device !== "cpu") m.to(device);
  const params = [...embed.parameters(), ...lstm.parameters(), ...head.parameters()];
  const optimizer = new dl.optim.Adam(params, { lr: 3e-3 });
  const chunk = 16;
  let hx;
  let pos = 0;
  const rows = [];
  for (let step = 1; step <= steps; step++) {
    if (pos + chunk + 1 > ids.length) {
      pos = 0;
      hx = undefined;
    }
    const input = dl.tensor(ids.slice(pos, pos + chunk), { dtype: "int32" }).reshape([chunk, 1]);
    const target = dl.tensor(ids.slice(pos + 1, pos + chunk + 1), { dtype: "int32" });
    pos += chunk;
    const [out, [h, c]] = lstm.forward(embed.forward(input), hx);
    const logits = head.forward(out.reshape([chunk, 32]));
    const loss = nn.functional.crossEntropy(logits, target);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    hx = [h.detach(), c.detach()];
    const value = device === "cpu" ? loss.itemSync() : await loss.item();
    if (at.has(step)) rows.push(sample(dl, step, value));
  }
  return rows;
}

export async function soak(dl, style, steps, at, onRow = () => {}) {
  onSample = onRow;
  if (style === "sync") return syncLoop(dl, steps, at);
  if (style === "async") return asyncLoop(dl, steps, at);
  if (style === "macrotask") return asyncLoop(dl, steps, at, true);
  if (style === "tbptt") return tbpttLoop(dl, steps, at);
  throw new Error(`unknown loop style ${style}`);
}
