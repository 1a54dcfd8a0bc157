// The fused LSTM cell kernels (ops/lstm-cell.ts has the equations): one pass over the
// batch × hidden elements, each reading its four gate projections from gi and gh.
// Gates compute in float64 and are stored once, as float32.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { expf, tanhf } from "./special.js";

const sigmoid = (x: number): number => 1 / (1 + expf(-x));

/** The operands of every element: gi, gh at gate quarters, c, as flat contiguous arrays. */
interface Cell {
  gi: TypedArray;
  gh: TypedArray;
  c: TypedArray;
  /** Rows (the batch) and hidden units. */
  rows: number;
  hidden: number;
}

function cellOf([gi, gh, c]: readonly TensorView[]): Cell {
  const hidden = c.shape[c.shape.length - 1];
  const flat = (v: TensorView, n: number) => arrayOf(v).subarray(v.offset, v.offset + n);
  const size = c.shape.reduce((a, b) => a * b, 1);
  return {
    gi: flat(gi, 4 * size),
    gh: flat(gh, 4 * size),
    c: flat(c, size),
    rows: hidden === 0 ? 0 : size / hidden,
    hidden,
  };
}

export function lstmCellKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const { gi, gh, c, rows, hidden: h } = cellOf(inputs);
  const n = rows * h;
  const res = newOutput(out.dtype, out.shape, 2 * n, false);
  const o = arrayOf(res);
  for (let r = 0; r < rows; r++) {
    const at = 4 * h * r;
    for (let j = 0; j < h; j++) {
      const k = at + j;
      const i = sigmoid(gi[k] + gh[k]);
      const f = sigmoid(gi[k + h] + gh[k + h]);
      const g = tanhf(gi[k + 2 * h] + gh[k + 2 * h]);
      const og = sigmoid(gi[k + 3 * h] + gh[k + 3 * h]);
      const e = r * h + j;
      const cn = f * c[e] + i * g;
      o[e] = og * tanhf(cn);
      o[n + e] = cn;
    }
  }
  return res;
}

export function lstmCellGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const { gi, gh, c, rows, hidden: h } = cellOf(inputs);
  const gv = inputs[3];
  const n = rows * h;
  const g = arrayOf(gv).subarray(gv.offset, gv.offset + 2 * n);
  const res = newOutput(out.dtype, out.shape, 5 * n, false);
  const d = arrayOf(res);
  for (let r = 0; r < rows; r++) {
    const at = 4 * h * r;
    for (let j = 0; j < h; j++) {
      const k = at + j;
      const i = sigmoid(gi[k] + gh[k]);
      const f = sigmoid(gi[k + h] + gh[k + h]);
      const gg = tanhf(gi[k + 2 * h] + gh[k + 2 * h]);
      const og = sigmoid(gi[k + 3 * h] + gh[k + 3 * h]);
      const e = r * h + j;
      const tc = tanhf(f * c[e] + i * gg);
      const dh = g[e];
      const dc = g[n + e] + dh * og * (1 - tc * tc);
      d[k] = dc * gg * i * (1 - i);
      d[k + h] = dc * c[e] * f * (1 - f);
      d[k + 2 * h] = dc * i * (1 - gg * gg);
      d[k + 3 * h] = dh * tc * og * (1 - og);
      d[4 * n + e] = dc * f;
    }
  }
  return res;
}
