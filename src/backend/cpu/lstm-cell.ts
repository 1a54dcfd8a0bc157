// The fused LSTM cell kernels (ops/lstm-cell.ts has the equations): one call per step over
// the batch × hidden elements, each reading its four gate projections from gi and gh. The
// gates are computed row by row, one gate per loop, into a float64 scratch: one loop with
// five inlined exps exceeded TurboFan's inlining budget, and each exp left as a call boxed
// its result (the forward ran at ~45 ns per element; measured). The row loops take arrays and
// offsets so the whole-sequence kernels (lstm-sequence.ts) run them on slices of their own
// buffers; where the native addon is loaded they run its AVX2 loops (native/lstm.c) instead.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { cellOperands, sigmoidInto, type CellOperands } from "./cells.js";
import { tanhf } from "./special.js";
import { nativeKernels } from "./native/native.js";

const nativeParams = new Float64Array(9);
const f32 = (a: TypedArray) => a as Float32Array;

/** tanh of gi + gh over `n` entries from `at`, into s[base..base + n). */
function tanhInto(
  s: Float64Array,
  base: number,
  gi: TypedArray,
  gh: TypedArray,
  at: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) s[base + j] = tanhf(gi[at + j] + gh[at + j]);
}

/**
 * The activated gates of row r into s: [i, f, o] by one sigmoid loop over the whole row
 * (the g quarter is overwritten next), then g = tanh.
 */
function gatesOf(s: Float64Array, cell: CellOperands, r: number): void {
  const h = cell.hidden;
  const at = 4 * h * r;
  sigmoidInto(s, cell.gi, cell.gh, at, 4 * h);
  tanhInto(s, 2 * h, cell.gi, cell.gh, at + 2 * h, h);
}

/** h' and c' of every row of `cell` into hOut and cOut ([rows, hidden] from their offsets). */
export function lstmRowsForward(
  cell: CellOperands,
  hOut: TypedArray,
  hAt: number,
  cOut: TypedArray,
  cAt: number,
): void {
  const { state: c, rows, hidden: h } = cell;
  const nk = nativeKernels();
  if (nk?.lstmRows) {
    nativeParams.set([rows, h, 0, 0, 0, hAt, cAt]);
    nk.lstmRows(f32(cell.gi), f32(cell.gh), f32(c), f32(hOut), f32(cOut), nativeParams);
    return;
  }
  const s = new Float64Array(4 * h);
  for (let r = 0; r < rows; r++) {
    gatesOf(s, cell, r);
    for (let j = 0; j < h; j++) {
      const e = r * h + j;
      const cn = s[h + j] * c[e] + s[j] * s[2 * h + j];
      cOut[cAt + e] = cn;
      s[j] = cn; // the i entry is spent: reuse it for c'
    }
    for (let j = 0; j < h; j++) hOut[hAt + r * h + j] = s[3 * h + j] * tanhf(s[j]);
  }
}

/**
 * The cell's gradients from dh, dc (the gradients reaching h' and c', [rows, hidden]): ∂gates
 * [rows, 4·hidden] into dGates from gAt, and ∂c into dcPrev from cAt.
 */
export function lstmRowsBackward(
  cell: CellOperands,
  dh: TypedArray,
  dc: TypedArray,
  dGates: TypedArray,
  gAt: number,
  dcPrev: TypedArray,
  cAt: number,
): void {
  const { state: c, rows, hidden: h } = cell;
  const nk = nativeKernels();
  if (nk?.lstmRowsGrad) {
    nativeParams.set([rows, h, 0, 0, 0, 0, 0, gAt, cAt]);
    const [gi, gh] = [f32(cell.gi), f32(cell.gh)];
    nk.lstmRowsGrad(gi, gh, f32(c), f32(dh), f32(dc), f32(dGates), f32(dcPrev), nativeParams);
    return;
  }
  const s = new Float64Array(4 * h);
  const tc = new Float64Array(h);
  for (let r = 0; r < rows; r++) {
    gatesOf(s, cell, r);
    for (let j = 0; j < h; j++) tc[j] = s[h + j] * c[r * h + j] + s[j] * s[2 * h + j];
    for (let j = 0; j < h; j++) tc[j] = tanhf(tc[j]);
    const k0 = gAt + 4 * h * r;
    for (let j = 0; j < h; j++) {
      const [i, f, gg, og] = [s[j], s[h + j], s[2 * h + j], s[3 * h + j]];
      const e = r * h + j;
      const t = tc[j];
      const dhe = dh[e];
      const dce = dc[e] + dhe * og * (1 - t * t);
      const k = k0 + j;
      dGates[k] = dce * gg * i * (1 - i);
      dGates[k + h] = dce * c[e] * f * (1 - f);
      dGates[k + 2 * h] = dce * i * (1 - gg * gg);
      dGates[k + 3 * h] = dhe * t * og * (1 - og);
      dcPrev[cAt + e] = dce * f;
    }
  }
}

export function lstmCellKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 4);
  const n = cell.rows * cell.hidden;
  const res = newOutput(out.dtype, out.shape, 2 * n, false);
  const o = arrayOf(res);
  lstmRowsForward(cell, o, 0, o, n);
  return res;
}

export function lstmCellGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 4);
  const gv = inputs[3];
  const n = cell.rows * cell.hidden;
  const g = arrayOf(gv).subarray(gv.offset, gv.offset + 2 * n);
  const res = newOutput(out.dtype, out.shape, 5 * n, false);
  const d = arrayOf(res);
  lstmRowsBackward(cell, g, g.subarray(n), d, 0, d, 4 * n);
  return res;
}
