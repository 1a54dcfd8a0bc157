// RNN, LSTM and GRU against an independent float64 implementation of PyTorch's documented
// equations (rnn-ref.ts), its parameters loaded through loadStateDict so names and shapes are
// checked too. Gradients are compared with central finite differences of that float64
// reference. Values recorded from PyTorch: layers-seq-recorded.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { expectClose } from "../helpers/recorded.js";
import {
  dirsOf,
  pytorchParams,
  randomParams,
  reference,
  vectors,
  type Cfg,
  type Params,
  type RefOut,
} from "./rnn-ref.js";

const toTensor = (v: Float64Array[][]): Tensor => dl.tensor(v.map((r) => r.map((x) => [...x])));
const flat = (v: Float64Array[][]): number[] => v.flatMap((r) => r.flatMap((x) => [...x]));

function makeModule(c: Cfg, extra: dl.nn.RNNOptions = {}): dl.nn.RNNBase {
  const opts = { numLayers: c.numLayers, bidirectional: c.bidirectional, bias: c.bias, ...extra };
  if (c.mode === "LSTM") return new dl.nn.LSTM(c.inputSize, c.hidden, opts);
  if (c.mode === "GRU") return new dl.nn.GRU(c.inputSize, c.hidden, opts);
  return new dl.nn.RNN(c.inputSize, c.hidden, {
    ...opts,
    nonlinearity: c.mode === "RNN_RELU" ? "relu" : "tanh",
  });
}

function load(m: dl.nn.Module, p: Params): void {
  const dict: Record<string, Tensor> = {};
  for (const [name, { shape, data }] of p)
    dict[name] = dl.tensor(Float32Array.from(data), { shape });
  m.loadStateDict(dict);
}

/** Runs the module on time-major x; returns [output, hN, cN?]. */
function run(m: dl.nn.RNNBase, x: Tensor, h0?: Tensor, c0?: Tensor): Tensor[] {
  if (m instanceof dl.nn.LSTM) {
    const [out, [h, c]] = m.forward(x, h0 && c0 ? [h0, c0] : undefined);
    return [out, h, c];
  }
  const [out, h] = (m as dl.nn.GRU).forward(x, h0);
  return [out, h];
}

const CASES: Cfg[] = [
  { mode: "LSTM", inputSize: 3, hidden: 4, numLayers: 1, bidirectional: false, bias: true },
  { mode: "LSTM", inputSize: 3, hidden: 2, numLayers: 2, bidirectional: true, bias: true },
  { mode: "GRU", inputSize: 3, hidden: 4, numLayers: 1, bidirectional: false, bias: true },
  { mode: "GRU", inputSize: 2, hidden: 3, numLayers: 2, bidirectional: true, bias: false },
  { mode: "RNN_TANH", inputSize: 3, hidden: 4, numLayers: 3, bidirectional: false, bias: true },
  { mode: "RNN_RELU", inputSize: 3, hidden: 3, numLayers: 1, bidirectional: true, bias: true },
];
const label = (c: Cfg) =>
  `${c.mode} L=${c.numLayers}${c.bidirectional ? " bidirectional" : ""}${c.bias ? "" : " no bias"}`;

describe("RNN / LSTM / GRU", () => {
  it.each(CASES)("$mode names and shapes are PyTorch's (%#)", (c) => {
    const m = makeModule(c);
    const names = m.namedParameters().map(([n, t]) => [n, [...t.shape]]);
    expect(names).toEqual(pytorchParams(c));
    expect(Object.keys(m.stateDict())).toEqual(pytorchParams(c).map(([n]) => n));
  });

  it("initialises every parameter from U(-1/sqrt(H), 1/sqrt(H))", () => {
    dl.manualSeed(3);
    const m = new dl.nn.LSTM(20, 16, { numLayers: 2 });
    const values = m.parameters().flatMap((p) => [...p.dataSync()]);
    const bound = 1 / Math.sqrt(16);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeCloseTo(bound ** 2 / 3, 3);
  });

  for (const [n, c] of CASES.entries())
    it(`forward and gradients match the float64 equations: ${label(c)} (#${n})`, () => {
      const T = 4;
      const B = 2;
      const p = randomParams(c, 100 + n);
      const next = rng(7 + n);
      const L = c.numLayers * dirsOf(c);
      const x = vectors(next, T, B, c.inputSize);
      const h0 = vectors(next, L, B, c.hidden);
      const c0 = vectors(next, L, B, c.hidden);
      const outW = vectors(next, T, B, c.hidden * dirsOf(c));
      const hW = vectors(next, L, B, c.hidden);
      const cW = vectors(next, L, B, c.hidden);
      const lossOf = (r: RefOut): number => {
        const dot = (a: Float64Array[][], w: Float64Array[][]) =>
          a.reduce(
            (s, row, i) =>
              s + row.reduce((s2, v, j) => s2 + v.reduce((s3, e, k) => s3 + e * w[i][j][k], 0), 0),
            0,
          );
        return dot(r.out, outW) + dot(r.h, hW) + (c.mode === "LSTM" ? dot(r.c, cW) : 0);
      };
      const ref = reference(c, p, x, h0, c0);

      const m = makeModule(c);
      load(m, p);
      const xt = toTensor(x).requiresGrad_();
      const h0t = toTensor(h0).requiresGrad_();
      const c0t = toTensor(c0).requiresGrad_();
      const [out, hN, cN] = run(m, xt, h0t, c0t);
      expect(out.shape).toEqual([T, B, c.hidden * dirsOf(c)]);
      expect(hN.shape).toEqual([L, B, c.hidden]);
      expectClose(out.dataSync(), flat(ref.out));
      expectClose(hN.dataSync(), flat(ref.h));
      if (cN) expectClose(cN.dataSync(), flat(ref.c));

      let loss = out
        .mul(toTensor(outW))
        .sum()
        .add(hN.mul(toTensor(hW)).sum());
      if (cN) loss = loss.add(cN.mul(toTensor(cW)).sum());
      loss.backward();
      const eps = 1e-6;
      const numeric = (values: Float64Array, evaluate: () => number): number[] =>
        Array.from(values, (orig, i) => {
          values[i] = orig + eps;
          const up = evaluate();
          values[i] = orig - eps;
          const down = evaluate();
          values[i] = orig;
          return (up - down) / (2 * eps);
        });
      const evalRef = () => lossOf(reference(c, p, x, h0, c0));
      for (const [name, param] of m.namedParameters()) {
        const expected = numeric(p.get(name)!.data, evalRef);
        expectClose(param.grad!.dataSync(), expected, 2e-4);
      }
      const perVector = (vs: Float64Array[][]) =>
        vs.flatMap((r) => r.flatMap((v) => numeric(v, evalRef)));
      expectClose(xt.grad!.dataSync(), perVector(x), 2e-4);
      expectClose(h0t.grad!.dataSync(), perVector(h0), 2e-4);
      if (c.mode === "LSTM") expectClose(c0t.grad!.dataSync(), perVector(c0), 2e-4);
    });

  it("batchFirst, unbatched input and the default zero state agree with time-major runs", () => {
    dl.manualSeed(11);
    const c: Cfg = {
      mode: "LSTM",
      inputSize: 3,
      hidden: 4,
      numLayers: 2,
      bidirectional: true,
      bias: true,
    };
    const tm = makeModule(c);
    const bf = makeModule(c, { batchFirst: true });
    bf.loadStateDict(tm.stateDict());
    const x = dl.randn([5, 3, 3]);
    const [outT, hT, cT] = run(tm, x);
    const [outB, hB, cB] = run(bf, x.transpose(0, 1));
    expect(outB.shape).toEqual([3, 5, 8]);
    expectClose(outB.transpose(0, 1).contiguous().dataSync(), outT.dataSync(), 1e-6);
    expectClose(hB.dataSync(), hT.dataSync(), 1e-6);
    expectClose(cB.dataSync(), cT.dataSync(), 1e-6);
    const zeros = dl.zeros([4, 3, 4]);
    expectClose(run(tm, x, zeros, zeros)[0].dataSync(), outT.dataSync(), 1e-6);

    const single = x.select(1, 2);
    const [outU, hU, cU] = run(tm, single);
    expect(outU.shape).toEqual([5, 8]);
    expect(hU.shape).toEqual([4, 4]);
    expectClose(outU.dataSync(), outT.select(1, 2).contiguous().dataSync(), 1e-6);
    expectClose(cU.dataSync(), cT.select(1, 2).contiguous().dataSync(), 1e-6);
  });

  it("gives the same values with and without gradient recording (odd lengths)", () => {
    dl.manualSeed(5);
    const gru = new dl.nn.GRU(2, 3);
    const x = dl.randn([7, 2, 2]);
    const plain = dl.noGrad(() => gru.forward(x)[0]);
    const tracked = gru.forward(x.detach().requiresGrad_())[0];
    expectClose(tracked.dataSync(), plain.dataSync(), 1e-7);
  });

  it("cell functions equal one step of the layers", () => {
    dl.manualSeed(9);
    const lstm = new dl.nn.LSTM(3, 4);
    const gru = new dl.nn.GRU(3, 4);
    const rnn = new dl.nn.RNN(3, 4, { nonlinearity: "relu" });
    const x = dl.randn([1, 2, 3]);
    const h = dl.randn([1, 2, 4]);
    const cs = dl.randn([1, 2, 4]);
    const F = dl.nn.functional;
    const w = (m: dl.nn.Module) => {
      const d = m.stateDict();
      return [d.weight_ih_l0, d.weight_hh_l0, d.bias_ih_l0, d.bias_hh_l0] as const;
    };
    const [hL, cL] = F.lstmCell(x.select(0, 0), [h.select(0, 0), cs.select(0, 0)], ...w(lstm));
    const [, [hRef, cRef]] = lstm.forward(x, [h, cs]);
    expectClose(hL.dataSync(), hRef.dataSync(), 1e-6);
    expectClose(cL.dataSync(), cRef.dataSync(), 1e-6);
    expectClose(
      F.gruCell(x.select(0, 0), h.select(0, 0), ...w(gru)).dataSync(),
      gru.forward(x, h)[1].dataSync(),
      1e-6,
    );
    expectClose(
      F.rnnReluCell(x.select(0, 0), h.select(0, 0), ...w(rnn)).dataSync(),
      rnn.forward(x, h)[1].dataSync(),
      1e-6,
    );
    expect(() =>
      F.lstmCell(dl.randn([2, 5]), [h.select(0, 0), cs.select(0, 0)], ...w(lstm)),
    ).toThrow(/lstmCell.*\[2, 5\]/);
  });

  it("rejects malformed inputs and states with the shapes involved", () => {
    const lstm = new dl.nn.LSTM(3, 4, { numLayers: 2 });
    expect(() => lstm.forward(dl.randn([5, 2, 6]))).toThrow(/LSTM.*\[5, 2, 6\]/);
    expect(() =>
      lstm.forward(dl.randn([5, 2, 3]), [dl.zeros([1, 2, 4]), dl.zeros([2, 2, 4])]),
    ).toThrow(/h0 of shape \[2, 2, 4\].*\[1, 2, 4\]/);
    expect(() => new dl.nn.GRU(3, 0)).toThrow(/hiddenSize/);
    expect(() => new dl.nn.RNN(3, 4, { dropout: 1.5 })).toThrow(/dropout/);
    expect(() => new dl.nn.RNN(3, 4, { nonlinearity: "sigmoid" as "tanh" })).toThrow(
      /nonlinearity/,
    );
  });

  it("applies inter-layer dropout only while training and never after the last layer", () => {
    dl.manualSeed(21);
    const lstm = new dl.nn.LSTM(3, 4, { numLayers: 2, dropout: 1 });
    const x = dl.randn([4, 2, 3]);
    // With p = 1 the second layer sees zeros: its output is a one-layer LSTM run on zeros.
    const top = new dl.nn.LSTM(4, 4);
    const d = lstm.stateDict();
    top.loadStateDict({
      weight_ih_l0: d.weight_ih_l1,
      weight_hh_l0: d.weight_hh_l1,
      bias_ih_l0: d.bias_ih_l1,
      bias_hh_l0: d.bias_hh_l1,
    });
    const [trained] = lstm.forward(x);
    expectClose(trained.dataSync(), top.forward(dl.zeros([4, 2, 4]))[0].dataSync(), 1e-6);
    lstm.eval();
    const [a] = lstm.forward(x);
    const noDropout = new dl.nn.LSTM(3, 4, { numLayers: 2 });
    noDropout.loadStateDict(lstm.stateDict());
    expectClose(a.dataSync(), noDropout.forward(x)[0].dataSync(), 1e-9);
    const half = new dl.nn.GRU(3, 4, { numLayers: 2, dropout: 0.5 });
    const [r1] = half.forward(x);
    const [r2] = half.forward(x);
    expect([...r1.dataSync()]).not.toEqual([...r2.dataSync()]);
  });

  it("prints like PyTorch", () => {
    expect(
      String(new dl.nn.LSTM(10, 20, { numLayers: 2, batchFirst: true, bidirectional: true })),
    ).toBe("LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)");
    expect(String(new dl.nn.RNN(3, 5, { nonlinearity: "relu", bias: false }))).toBe(
      "RNN(3, 5, bias=False)",
    );
  });
});
