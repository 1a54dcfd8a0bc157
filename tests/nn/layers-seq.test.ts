// RNN, LSTM and GRU against an independent float64 implementation of PyTorch's documented
// equations (gate rows in PyTorch's order, parameters addressed by PyTorch's names), loaded
// through loadStateDict so names and shapes are checked too. Gradients are compared with
// central finite differences of that float64 reference.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { expectClose, fillLikeRecording, nums, sinTensor } from "../helpers/recorded.js";

type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";
interface Cfg {
  mode: Mode;
  inputSize: number;
  hidden: number;
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
}
type Params = Map<string, { shape: number[]; data: Float64Array }>;

const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };
const dirsOf = (c: Cfg) => (c.bidirectional ? 2 : 1);

/** PyTorch's parameter names and shapes, written from its documentation. */
function pytorchParams(c: Cfg): [string, number[]][] {
  const out: [string, number[]][] = [];
  const rows = GATES[c.mode] * c.hidden;
  for (let l = 0; l < c.numLayers; l++)
    for (let d = 0; d < dirsOf(c); d++) {
      const sfx = `_l${l}${d ? "_reverse" : ""}`;
      const inp = l === 0 ? c.inputSize : c.hidden * dirsOf(c);
      out.push([`weight_ih${sfx}`, [rows, inp]], [`weight_hh${sfx}`, [rows, c.hidden]]);
      if (c.bias) out.push([`bias_ih${sfx}`, [rows]], [`bias_hh${sfx}`, [rows]]);
    }
  return out;
}

function randomParams(c: Cfg, seed: number): Params {
  const next = rng(seed);
  const p: Params = new Map();
  for (const [name, shape] of pytorchParams(c)) {
    const data = Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () =>
      Math.fround(next() * 1.6 - 0.8),
    );
    p.set(name, { shape, data });
  }
  return p;
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** Row `row` of W·v + b. */
function affine(p: Params, w: string, b: string, v: Float64Array, row: number): number {
  const W = p.get(w)!;
  const cols = W.shape[1];
  let s = p.get(b)?.data[row] ?? 0;
  for (let k = 0; k < cols; k++) s += W.data[row * cols + k] * v[k];
  return s;
}

/** One step of one cell for one batch element; returns [h', c']. */
function cellStep(
  c: Cfg,
  p: Params,
  sfx: string,
  x: Float64Array,
  h: Float64Array,
  cs: Float64Array,
) {
  const H = c.hidden;
  const ax = (gate: number, j: number) =>
    affine(p, `weight_ih${sfx}`, `bias_ih${sfx}`, x, gate * H + j);
  const ah = (gate: number, j: number) =>
    affine(p, `weight_hh${sfx}`, `bias_hh${sfx}`, h, gate * H + j);
  const hN = new Float64Array(H);
  const cN = new Float64Array(H);
  for (let j = 0; j < H; j++) {
    if (c.mode === "LSTM") {
      const i = sig(ax(0, j) + ah(0, j));
      const f = sig(ax(1, j) + ah(1, j));
      const g = Math.tanh(ax(2, j) + ah(2, j));
      const o = sig(ax(3, j) + ah(3, j));
      cN[j] = f * cs[j] + i * g;
      hN[j] = o * Math.tanh(cN[j]);
    } else if (c.mode === "GRU") {
      const r = sig(ax(0, j) + ah(0, j));
      const z = sig(ax(1, j) + ah(1, j));
      const n = Math.tanh(ax(2, j) + r * ah(2, j));
      hN[j] = (1 - z) * n + z * h[j];
    } else {
      const pre = ax(0, j) + ah(0, j);
      hN[j] = c.mode === "RNN_TANH" ? Math.tanh(pre) : Math.max(0, pre);
    }
  }
  return [hN, cN];
}

interface RefOut {
  out: Float64Array[][]; // [T][B] vectors of D·H
  h: Float64Array[][]; // [L·D][B]
  c: Float64Array[][];
}

/** x: [T][B] input vectors; h0/c0: [L·D][B] vectors. */
function reference(
  c: Cfg,
  p: Params,
  x: Float64Array[][],
  h0: Float64Array[][],
  c0: Float64Array[][],
): RefOut {
  const T = x.length;
  const B = x[0].length;
  let input = x;
  const hs: Float64Array[][] = [];
  const cs: Float64Array[][] = [];
  for (let l = 0; l < c.numLayers; l++) {
    const outs: Float64Array[][] = Array.from({ length: T }, () =>
      Array.from({ length: B }, () => new Float64Array(0)),
    );
    for (let d = 0; d < dirsOf(c); d++) {
      const k = l * dirsOf(c) + d;
      const sfx = `_l${l}${d ? "_reverse" : ""}`;
      const hk: Float64Array[] = [];
      const ck: Float64Array[] = [];
      for (let b = 0; b < B; b++) {
        let h = h0[k][b];
        let cc = c0[k][b];
        for (let s = 0; s < T; s++) {
          const t = d ? T - 1 - s : s;
          [h, cc] = cellStep(c, p, sfx, input[t][b], h, cc);
          outs[t][b] = Float64Array.from([...outs[t][b], ...h]);
        }
        hk.push(h);
        ck.push(cc);
      }
      hs.push(hk);
      cs.push(ck);
    }
    input = outs;
  }
  return { out: input, h: hs, c: cs };
}

function vectors(next: () => number, a: number, b: number, n: number): Float64Array[][] {
  return Array.from({ length: a }, () =>
    Array.from({ length: b }, () =>
      Float64Array.from({ length: n }, () => Math.fround(next() * 2 - 1)),
    ),
  );
}

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

// Recorded with PyTorch 1.13.1 (Debian python3-torch), float64, parameters filled in
// state_dict order j by 0.4·sin(0.37·i + 1.1·j + 0.3) (i the flat index) and inputs by
// sin(0.61·i + seed), both rounded to float32 first:
//   lstm: nn.LSTM(3, 4, num_layers=2, bidirectional=True, batch_first=True)(x[2,3,3] seed 0)
//   gru:  nn.GRU(3, 4)(x[3,2,3] seed 1, h0[1,2,4] seed 2)
//   rnn:  nn.RNN(3, 4, nonlinearity="relu", num_layers=2)(x[3,2,3] seed 3)
const RECORDED = {
  lstm: {
    out: nums(`
      0.09169047 0.04864208 0.008306779 -0.004956407 0.02742582 0.2314111 0.03622751 0.2833648
      0.1318978 0.07750033 0.004704283 0.01291586 0.03485852 0.1942615 0.06562909 0.2103246
      0.1698205 0.0694277 0.02971567 -0.008135053 0.04408552 0.1151093 0.09344849 0.1175578
      0.1046205 0.03380056 0.02831177 -0.02690449 0.04173442 0.2166024 0.03827144 0.287134
      0.1403117 0.06683264 0.01794648 -0.004473318 0.02274649 0.2036491 0.0576451 0.2201045
      0.1823508 0.05950039 0.04316834 -0.02037078 0.0339862 0.1231158 0.08579277 0.1241343
    `),
    h: nums(`
      -0.0489858 0.01986967 0.2080189 0.1856526 -0.0593313 -0.01568189 0.1393999 0.1997276
      -0.04057146 -0.2231207 -0.3996241 -0.4394385 -0.1947806 -0.2135429 -0.2653414 -0.2600027
      0.1698205 0.0694277 0.02971567 -0.008135053 0.1823508 0.05950039 0.04316834 -0.02037078
      0.02742582 0.2314111 0.03622751 0.2833648 0.04173442 0.2166024 0.03827144 0.287134
    `),
    c: nums(`
      -0.1179888 0.03839786 0.2798451 0.2283995 -0.1082872 -0.02570072 0.1938537 0.279664
      -0.09533261 -0.4681929 -0.8698359 -0.8981992 -0.3968564 -0.6184545 -0.8568818 -0.490255
      0.4394875 0.2025605 0.09051556 -0.02234017 0.4744307 0.1722935 0.1333206 -0.05538647
      0.04234876 0.3570028 0.07079812 0.5836666 0.06510801 0.3273002 0.07740711 0.5647001
    `),
  },
  gru: {
    out: nums(`
      0.002544399 -0.1130517 -0.3123516 -0.1273078 -0.3950564 -0.2247983 0.03300261 0.1914602
      -0.1529956 0.3174222 0.4316108 0.09438502 -0.4400014 -0.5517935 -0.1102222 0.3365592
      -0.02224497 -0.1866014 -0.1028326 0.1504728 -0.294516 0.2839863 0.5063437 0.2348354
    `),
    h: nums(`
      -0.02224497 -0.1866014 -0.1028326 0.1504728 -0.294516 0.2839863 0.5063437 0.2348354
    `),
  },
  rnn: {
    out: nums(`
      0.6271192 0.6816259 0.6438777 0.5189837 0.6271192 0.6816259 0.6438777 0.5189837 0.1718972
      1.629927 1.271068 0 0.5508255 1.602971 0.887251 0 0.6398694 1.899302 0.8519447 0 0.3709611
      1.826895 1.107723 0
    `),
    h: nums(`
      0 0 0 0.05929681 0.4288304 0 0 0 0.6398694 1.899302 0.8519447 0 0.3709611 1.826895
      1.107723 0
    `),
  },
};

describe("RNN / LSTM / GRU against values recorded from PyTorch", () => {
  it("LSTM, 2 layers, bidirectional, batchFirst", () => {
    const m = new dl.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true, batchFirst: true });
    fillLikeRecording(m);
    const [out, [h, c]] = m.forward(sinTensor([2, 3, 3], 0));
    expectClose(out.contiguous().dataSync(), RECORDED.lstm.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.lstm.h, 1e-5);
    expectClose(c.dataSync(), RECORDED.lstm.c, 1e-5);
  });

  it("GRU with an initial state", () => {
    const m = new dl.nn.GRU(3, 4);
    fillLikeRecording(m);
    const [out, h] = m.forward(sinTensor([3, 2, 3], 1), sinTensor([1, 2, 4], 2));
    expectClose(out.dataSync(), RECORDED.gru.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.gru.h, 1e-5);
  });

  it("RNN with relu, 2 layers", () => {
    const m = new dl.nn.RNN(3, 4, { nonlinearity: "relu", numLayers: 2 });
    fillLikeRecording(m);
    const [out, h] = m.forward(sinTensor([3, 2, 3], 3));
    expectClose(out.dataSync(), RECORDED.rnn.out, 1e-5);
    expectClose(h.dataSync(), RECORDED.rnn.h, 1e-5);
  });
});

// Recorded like the values above: nn.LSTMCell(3, 4)(x[2,3] s20, (h[2,4] s21, c[2,4] s22)),
// nn.GRUCell(3, 4)(x[2,3] s20, h[2,4] s21), nn.RNNCell(3, 4, nonlinearity="relu")(x[3] s20).
const RECORDED_CELLS = {
  lstm_cell: {
    h: nums(`
      -0.1752617 -0.4311229 -0.3475189 -0.1278574 -0.1221645 -0.01818153 0.4780117 0.5520995
    `),
    c: nums(`
      -0.2203618 -0.5735748 -0.6561637 -0.4307633 -0.2893956 -0.04082981 0.7095772 0.7700225
    `),
  },
  gru_cell: {
    h: nums(`
      -0.1151654 -0.1823086 -0.3547449 -0.1975463 -0.4063622 -0.09364182 0.1595044 0.2650222
    `),
  },
  rnn_cell: {
    h: nums(`
      0.6546633 0.7906086 0 0
    `),
  },
};

describe("RNNCell / LSTMCell / GRUCell", () => {
  it("have PyTorch's parameter names and match values recorded from PyTorch", () => {
    const lstm = new dl.nn.LSTMCell(3, 4);
    expect(lstm.namedParameters().map(([n, t]) => [n, t.shape])).toEqual([
      ["weight_ih", [16, 3]],
      ["weight_hh", [16, 4]],
      ["bias_ih", [16]],
      ["bias_hh", [16]],
    ]);
    fillLikeRecording(lstm);
    const [h, c] = lstm.forward(sinTensor([2, 3], 20), [
      sinTensor([2, 4], 21),
      sinTensor([2, 4], 22),
    ]);
    expectClose(h.dataSync(), RECORDED_CELLS.lstm_cell.h, 1e-5);
    expectClose(c.dataSync(), RECORDED_CELLS.lstm_cell.c, 1e-5);
    const gru = new dl.nn.GRUCell(3, 4);
    fillLikeRecording(gru);
    const hg = gru.forward(sinTensor([2, 3], 20), sinTensor([2, 4], 21));
    expectClose(hg.dataSync(), RECORDED_CELLS.gru_cell.h, 1e-5);
    const rnn = new dl.nn.RNNCell(3, 4, { nonlinearity: "relu" });
    fillLikeRecording(rnn);
    expectClose(rnn.forward(sinTensor([3], 20)).dataSync(), RECORDED_CELLS.rnn_cell.h, 1e-5);
    expect(String(rnn)).toBe("RNNCell(3, 4, nonlinearity=relu)");
    expect(Object.keys(new dl.nn.GRUCell(2, 3, { bias: false }).stateDict())).toEqual([
      "weight_ih",
      "weight_hh",
    ]);
  });

  it("start from zeros when no state is given", () => {
    dl.manualSeed(12);
    const cell = new dl.nn.LSTMCell(3, 2);
    const x = dl.randn([4, 3]);
    const [h] = cell.forward(x);
    const [hz] = cell.forward(x, [dl.zeros([4, 2]), dl.zeros([4, 2])]);
    expectClose(h.dataSync(), hz.dataSync(), 1e-7);
    expect(() => cell.forward(dl.randn([2, 2, 3]))).toThrow(/LSTMCell.*\[2, 2, 3\]/);
  });
});
