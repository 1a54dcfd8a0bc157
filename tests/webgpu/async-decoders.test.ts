// The decoders of tutorials 05 and 06 on WebGPU, with the CPU as the oracle: greedy decoding,
// beam search and temperature sampling read what they chose at every step (`await t.data()`)
// inside `dl.noGrad(() => dl.tidy(async () => ...))`. On a GPU every such read is a real task
// turn, so these check that the scopes stay open across it: the same choices as on the CPU, no
// graph recorded, and every GPU tensor the decoder made freed when its promise settles.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Device } from "../../src/index.js";
import { expectClose, gpuAvailable } from "./gpu.js";

const { nn } = dl;
const V = 11; // tokens: 0 <s>, 1 </s>, 2.. symbols
const BOS = 0;
const EOS = 1;
const MAX_STEPS = 7;

interface State {
  memory: dl.Tensor;
  h: dl.Tensor;
}

/** A GRU encoder-decoder with dot-product attention, as tutorial 06's, small. */
class TinyTranslator extends nn.Module {
  srcEmbed = new nn.Embedding(V, 8);
  encoder = new nn.GRU(8, 16, { batchFirst: true });
  tgtEmbed = new nn.Embedding(V, 8);
  decoder = new nn.GRU(8, 16, { batchFirst: true });
  out = new nn.Linear(32, V);
  /** The encoder's memory (the decoders use start/step/select). */
  forward(src: dl.Tensor): dl.Tensor {
    return this.start(src).memory;
  }
  start(src: dl.Tensor): State {
    const [memory, h] = this.encoder.forward(this.srcEmbed.forward(src));
    return { memory, h };
  }
  /** tokens [k] → log-probabilities of the next token [k, V] and the next state. */
  step(state: State, tokens: dl.Tensor): { logProbs: dl.Tensor; state: State } {
    const [s, h] = this.decoder.forward(this.tgtEmbed.forward(tokens.unsqueeze(1)), state.h);
    const weights = s.matmul(state.memory.transpose(1, 2)).softmax(-1); // [k, 1, S]
    const context = weights.matmul(state.memory);
    const logits = this.out.forward(dl.cat([s, context], 2)).select(1, 0);
    return { logProbs: logits.logSoftmax(-1), state: { memory: state.memory, h } };
  }
  select(state: State, rows: dl.Tensor): State {
    return { memory: state.memory.indexSelect(0, rows), h: state.h.indexSelect(1, rows) };
  }
}

function translator(device: Device): TinyTranslator {
  dl.manualSeed(11);
  return new TinyTranslator().to(device) as TinyTranslator;
}

function sources(device: Device): dl.Tensor {
  const rows = [
    [2, 5, 7, 3, 9],
    [4, 4, 8, 2, 6],
    [10, 3, 2, 7, 5],
  ];
  return dl.tensor(rows, { dtype: "int32", device });
}

/** Tutorial 06's greedy decoder: reads the chosen tokens at every step to know who ended. */
async function greedy(model: TinyTranslator, src: dl.Tensor, made: dl.Tensor[]) {
  const B = src.shape[0];
  const ids: number[][] = Array.from({ length: B }, () => []);
  const logProbs: number[] = [];
  const finished = new Array<boolean>(B).fill(false);
  let state = model.start(src);
  let tokens = dl.full([B], BOS, { dtype: "int32", device: src.device });
  for (let t = 0; t < MAX_STEPS && finished.includes(false); t++) {
    const r = model.step(state, tokens);
    expect(r.logProbs.requiresGrad).toBe(false); // inside noGrad across the awaits
    state = r.state;
    tokens = r.logProbs.argmax(-1).int();
    made.push(r.logProbs, tokens, state.h);
    logProbs.push(...(await r.logProbs.data()));
    const next = await tokens.data();
    for (let b = 0; b < B; b++) {
      if (finished[b]) continue;
      if (next[b] === EOS) finished[b] = true;
      else ids[b].push(next[b]);
    }
  }
  return { ids, logProbs };
}

interface Hypothesis {
  tokens: number[];
  logProb: number;
}
/** Tutorial 06's beam search for one source row [1, S]. */
async function beamSearch(
  model: TinyTranslator,
  src: dl.Tensor,
  beamSize: number,
  made: dl.Tensor[],
) {
  let beam: Hypothesis[] = [{ tokens: [BOS], logProb: 0 }];
  let state = model.start(src);
  const finished: Hypothesis[] = [];
  for (let t = 0; t < MAX_STEPS + 1 && beam.length > 0; t++) {
    const last = dl.tensor(
      beam.map((h) => h.tokens[h.tokens.length - 1]),
      { dtype: "int32", device: src.device },
    );
    const r = model.step(state, last);
    made.push(r.logProbs, r.state.h);
    const logProbs = await r.logProbs.data();
    const candidates: { parent: number; token: number; logProb: number }[] = [];
    beam.forEach((h, row) => {
      for (let token = 0; token < V; token++)
        candidates.push({ parent: row, token, logProb: h.logProb + logProbs[row * V + token] });
    });
    candidates.sort((a, b) => b.logProb - a.logProb);
    const kept: typeof candidates = [];
    for (const c of candidates.slice(0, beamSize)) {
      const tokens = [...beam[c.parent].tokens, c.token];
      if (c.token === EOS || t === MAX_STEPS) finished.push({ tokens, logProb: c.logProb });
      else kept.push(c);
    }
    finished.sort((a, b) => b.logProb - a.logProb);
    const settled =
      finished.length >= beamSize &&
      finished[beamSize - 1].logProb >= (kept[0]?.logProb ?? -Infinity);
    if (kept.length === 0 || settled) break;
    const rows = dl.tensor(
      kept.map((c) => c.parent),
      { dtype: "int32", device: src.device },
    );
    state = model.select(r.state, rows);
    beam = kept.map((c) => ({ tokens: [...beam[c.parent].tokens, c.token], logProb: c.logProb }));
  }
  return finished.sort((a, b) => b.logProb - a.logProb).slice(0, beamSize);
}

/** Tutorial 05's character model, small: embedding, LSTM, linear head. */
class TinyCharLM extends nn.Module {
  embed = new nn.Embedding(V, 6);
  lstm = new nn.LSTM(6, 12, { batchFirst: true });
  head = new nn.Linear(12, V);
  forward(ids: dl.Tensor, state?: [dl.Tensor, dl.Tensor]): [dl.Tensor, [dl.Tensor, dl.Tensor]] {
    const [out, next] = this.lstm.forward(this.embed.forward(ids), state);
    return [this.head.forward(out), next];
  }
}

/** Tutorial 05's sampler: one row per temperature, each drawn character read and fed back. */
async function sample(
  lm: TinyCharLM,
  device: Device,
  temperatures: number[],
  length: number,
  made: dl.Tensor[],
) {
  const generator = new dl.Generator(6);
  const n = temperatures.length;
  const start = [2, 3, 4];
  let [logits, state] = lm.forward(
    dl.tensor(
      temperatures.flatMap(() => start),
      { dtype: "int32", shape: [n, start.length], device },
    ),
  );
  const tau = dl.tensor(temperatures, { device }).unsqueeze(1);
  const written: number[][] = temperatures.map(() => []);
  for (let k = 0; k < length; k++) {
    const next = logits.select(1, -1).div(tau).softmax(-1).multinomial(1, { generator });
    (await next.data()).forEach((id, r) => written[r].push(id));
    [logits, state] = lm.forward(next, state);
    made.push(next, logits, ...state);
  }
  return written;
}

/**
 * Runs `decode` as the tutorials do, checking that the tensors it made at every step (after
 * awaits) are freed once its promise settles, and that nothing was added to the device's count
 * (it may fall: reads are task turns, where the finalizer frees earlier tests' garbage).
 */
async function scoped<T>(device: Device, decode: (made: dl.Tensor[]) => Promise<T>): Promise<T> {
  const before = dl.memory().byDevice[device]?.tensors ?? 0;
  const made: dl.Tensor[] = [];
  const result = await dl.noGrad(() => dl.tidy(() => decode(made)));
  expect(dl.isGradEnabled()).toBe(true);
  expect(made.length).toBeGreaterThan(6);
  expect(made.filter((t) => !t.isDisposed).length, `${device} tensors alive`).toBe(0);
  expect(dl.memory().byDevice[device]?.tensors ?? 0).toBeLessThanOrEqual(before);
  return result;
}

describe.skipIf(!gpuAvailable)("tutorial decoders on WebGPU (CPU as oracle)", () => {
  it("greedy decoding: the same tokens and log-probabilities, nothing left on the GPU", async () => {
    const [cpuModel, gpuModel] = [translator("cpu"), translator("webgpu")];
    cpuModel.eval();
    gpuModel.eval();
    const cpu = await scoped("cpu", (made) => greedy(cpuModel, sources("cpu"), made));
    const gpu = await scoped("webgpu", (made) => greedy(gpuModel, sources("webgpu"), made));
    expect(gpu.ids).toEqual(cpu.ids);
    expect(cpu.ids.flat().length).toBeGreaterThan(3); // it wrote something
    expectClose("log-probabilities", gpu.logProbs, cpu.logProbs, { rtol: 1e-4, atol: 1e-5 });
  });

  it("beam search: the same hypotheses with the same scores", async () => {
    const [cpuModel, gpuModel] = [translator("cpu"), translator("webgpu")];
    const src = (device: Device) => sources(device).narrow(0, 1, 1);
    const cpu = await scoped("cpu", (made) => beamSearch(cpuModel, src("cpu"), 3, made));
    const gpu = await scoped("webgpu", (made) => beamSearch(gpuModel, src("webgpu"), 3, made));
    expect(gpu.map((h) => h.tokens)).toEqual(cpu.map((h) => h.tokens));
    expect(cpu.length).toBe(3);
    expectClose(
      "hypothesis log-probabilities",
      gpu.map((h) => h.logProb),
      cpu.map((h) => h.logProb),
      { rtol: 1e-4, atol: 1e-5 },
    );
  });

  it("sampling at three temperatures: the same characters from the same generator", async () => {
    dl.manualSeed(12);
    const cpuLm = new TinyCharLM();
    dl.manualSeed(12);
    const gpuLm = new TinyCharLM().to("webgpu") as TinyCharLM;
    const temperatures = [0.3, 1, 1.5];
    const cpu = await scoped("cpu", (made) => sample(cpuLm, "cpu", temperatures, 12, made));
    const gpu = await scoped("webgpu", (made) => sample(gpuLm, "webgpu", temperatures, 12, made));
    expect(gpu).toEqual(cpu);
  });

  it("a loss read per chunk inside the scopes sums as on the CPU (bits per character)", async () => {
    dl.manualSeed(13);
    const cpuLm = new TinyCharLM();
    dl.manualSeed(13);
    const gpuLm = new TinyCharLM().to("webgpu") as TinyCharLM;
    const text = Int32Array.from({ length: 2 * 3 * 4 + 1 }, (_, i) => 2 + ((i * 7) % (V - 2)));
    const nats = async (lm: TinyCharLM, device: Device) => {
      let total = 0;
      let state: [dl.Tensor, dl.Tensor] | undefined;
      for (let k = 0; k < 3; k++)
        await dl.noGrad(() =>
          dl.tidy(async () => {
            const at = (o: number) =>
              dl.tensor(text.slice(k * 8 + o, k * 8 + o + 8), { shape: [2, 4], device });
            const [logits, next] = lm.forward(at(0), state);
            state?.forEach((t) => t.dispose());
            state = [dl.keep(next[0]), dl.keep(next[1])];
            const loss = dl.nn.functional.crossEntropy(
              logits.reshape([-1, V]),
              at(1).reshape([-1]),
            );
            total += await loss.item();
          }),
        );
      state?.forEach((t) => t.dispose());
      return total;
    };
    const cpu = await nats(cpuLm, "cpu");
    const gpu = await nats(gpuLm, "webgpu");
    expect(Math.abs(gpu - cpu)).toBeLessThan(1e-4 * Math.abs(cpu));
  });
});
