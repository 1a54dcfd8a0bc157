// The fused GRU cell kernels (ops/gru-cell.ts has the equations), row by row with one
// nonlinearity per loop into a float64 scratch, so each exp is inlined (see lstm-cell.ts).
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { arrayOf, newOutput } from "./buffer.js";
import { cellOperands, sigmoidInto, type CellOperands } from "./cells.js";
import { tanhf } from "./special.js";

/** Row r's gates into s: r and z (σ over the first two thirds), then n = tanh. */
function gatesOf(s: Float64Array, cell: CellOperands, row: number): void {
  const { gi, gh, hidden: H } = cell;
  const at = 3 * H * row;
  sigmoidInto(s, gi, gh, at, 2 * H);
  for (let j = 0; j < H; j++) s[2 * H + j] = tanhf(gi[at + 2 * H + j] + s[j] * gh[at + 2 * H + j]);
}

export function gruCellKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 3);
  const { state: h, rows, hidden: H } = cell;
  const res = newOutput(out.dtype, out.shape, rows * H, false);
  const o = arrayOf(res);
  const s = new Float64Array(3 * H);
  for (let r = 0; r < rows; r++) {
    gatesOf(s, cell, r);
    for (let j = 0; j < H; j++) {
      const n = s[2 * H + j];
      o[r * H + j] = n + s[H + j] * (h[r * H + j] - n);
    }
  }
  return res;
}

export function gruCellGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 3);
  const { gh, state: h, rows, hidden: H } = cell;
  const gv = inputs[3];
  const size = rows * H;
  const g = arrayOf(gv).subarray(gv.offset, gv.offset + size);
  const res = newOutput(out.dtype, out.shape, 7 * size, false);
  const d = arrayOf(res);
  const s = new Float64Array(3 * H);
  for (let row = 0; row < rows; row++) {
    gatesOf(s, cell, row);
    const k0 = 3 * H * row;
    for (let j = 0; j < H; j++) {
      const [r, z, n] = [s[j], s[H + j], s[2 * H + j]];
      const e = row * H + j;
      const ge = g[e];
      const dPreN = ge * (1 - z) * (1 - n * n);
      const dPreR = dPreN * gh[k0 + 2 * H + j] * r * (1 - r);
      const dPreZ = ge * (h[e] - n) * z * (1 - z);
      const k = k0 + j;
      d[k] = d[3 * size + k] = dPreR;
      d[k + H] = d[3 * size + k + H] = dPreZ;
      d[k + 2 * H] = dPreN;
      d[3 * size + k + 2 * H] = dPreN * r;
      d[6 * size + e] = ge * z;
    }
  }
  return res;
}
