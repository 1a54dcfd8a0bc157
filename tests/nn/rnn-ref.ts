// A float64 reference for RNN, LSTM and GRU written from PyTorch's documented equations
// (gate rows in PyTorch's order, parameters under PyTorch's names). It touches nothing of the
// library, so the layers cannot pass by sharing its bugs.
import { rng } from "../helpers/ref.js";

export type Mode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";
export interface Cfg {
  mode: Mode;
  inputSize: number;
  hidden: number;
  numLayers: number;
  bidirectional: boolean;
  bias: boolean;
}
export type Params = Map<string, { shape: number[]; data: Float64Array }>;

const GATES: Record<Mode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };
export const dirsOf = (c: Cfg) => (c.bidirectional ? 2 : 1);

/** PyTorch's parameter names and shapes, written from its documentation. */
export function pytorchParams(c: Cfg): [string, number[]][] {
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

export function randomParams(c: Cfg, seed: number): Params {
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

export interface RefOut {
  out: Float64Array[][]; // [T][B] vectors of D·H
  h: Float64Array[][]; // [L·D][B]
  c: Float64Array[][];
}

/** x: [T][B] input vectors; h0/c0: [L·D][B] vectors. */
export function reference(
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

export function vectors(next: () => number, a: number, b: number, n: number): Float64Array[][] {
  return Array.from({ length: a }, () =>
    Array.from({ length: b }, () =>
      Float64Array.from({ length: n }, () => Math.fround(next() * 2 - 1)),
    ),
  );
}
