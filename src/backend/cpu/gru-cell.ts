// The fused GRU cell kernels (ops/gru-cell.ts has the equations), row by row with one
// nonlinearity per loop into a float64 scratch, so each exp is inlined (see lstm-cell.ts). The
// row loops take arrays and offsets so the whole-sequence kernels (gru-sequence.ts) run them
// on slices of their own buffers; where the native addon is loaded they run its AVX2 loops
// (native/gru.c) instead.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { cellOperands, sigmoidInto, type CellOperands } from "./cells.js";
import { tanhf } from "./special.js";
import { nativeKernels } from "./native/native.js";

const nativeParams = new Float64Array(9);
const f32 = (a: TypedArray) => a as Float32Array;

/** Row r's gates into s: r and z (σ over the first two thirds), then n = tanh. */
function gatesOf(s: Float64Array, cell: CellOperands, row: number): void {
  const { gi, gh, hidden: H } = cell;
  const at = 3 * H * row;
  sigmoidInto(s, gi, gh, at, 2 * H);
  for (let j = 0; j < H; j++) s[2 * H + j] = tanhf(gi[at + 2 * H + j] + s[j] * gh[at + 2 * H + j]);
}

/** h' of every row of `cell` into hOut ([rows, hidden] from hAt). */
export function gruRowsForward(cell: CellOperands, hOut: TypedArray, hAt: number): void {
  const { state: h, rows, hidden: H } = cell;
  const nk = nativeKernels();
  if (nk?.gruRows) {
    nativeParams.set([rows, H, 0, 0, 0, hAt]);
    nk.gruRows(f32(cell.gi), f32(cell.gh), f32(h), f32(hOut), nativeParams);
    return;
  }
  const s = new Float64Array(3 * H);
  for (let r = 0; r < rows; r++) {
    gatesOf(s, cell, r);
    for (let j = 0; j < H; j++) {
      const n = s[2 * H + j];
      hOut[hAt + r * H + j] = n + s[H + j] * (h[r * H + j] - n);
    }
  }
}

/**
 * The cell's gradients from dh (the gradient reaching h', [rows, hidden]): ∂gi and ∂gh
 * ([rows, 3·hidden]) into dGi from giAt and dGh from ghAt, and the part of ∂h that flows
 * straight through the update (dh·z) into dH from hAt.
 */
export function gruRowsBackward(
  cell: CellOperands,
  dh: TypedArray,
  [dGi, giAt]: [TypedArray, number],
  [dGh, ghAt]: [TypedArray, number],
  [dH, hAt]: [TypedArray, number],
): void {
  const { gh, state: h, rows, hidden: H } = cell;
  const nk = nativeKernels();
  if (nk?.gruRowsGrad) {
    nativeParams.set([rows, H, 0, 0, 0, 0, giAt, ghAt, hAt]);
    const [gi, hh] = [f32(cell.gi), f32(h)];
    nk.gruRowsGrad(gi, f32(gh), hh, f32(dh), f32(dGi), f32(dGh), f32(dH), nativeParams);
    return;
  }
  const s = new Float64Array(3 * H);
  for (let row = 0; row < rows; row++) {
    gatesOf(s, cell, row);
    const k0 = 3 * H * row;
    for (let j = 0; j < H; j++) {
      const [r, z, n] = [s[j], s[H + j], s[2 * H + j]];
      const e = row * H + j;
      const ge = dh[e];
      const dPreN = ge * (1 - z) * (1 - n * n);
      const dPreR = dPreN * gh[k0 + 2 * H + j] * r * (1 - r);
      const dPreZ = ge * (h[e] - n) * z * (1 - z);
      const k = k0 + j;
      dGi[giAt + k] = dGh[ghAt + k] = dPreR;
      dGi[giAt + k + H] = dGh[ghAt + k + H] = dPreZ;
      dGi[giAt + k + 2 * H] = dPreN;
      dGh[ghAt + k + 2 * H] = dPreN * r;
      dH[hAt + e] = ge * z;
    }
  }
}

export function gruCellKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 3);
  const res = newOutput(out.dtype, out.shape, cell.rows * cell.hidden, false);
  gruRowsForward(cell, arrayOf(res), 0);
  return res;
}

export function gruCellGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  _attrs: unknown,
  out: OutputSpec,
): TensorView {
  const cell = cellOperands(inputs, 3);
  const gv = inputs[3];
  const size = cell.rows * cell.hidden;
  const g = arrayOf(gv).subarray(gv.offset, gv.offset + size);
  const res = newOutput(out.dtype, out.shape, 7 * size, false);
  const d = arrayOf(res);
  gruRowsBackward(cell, g, [d, 0], [d, 3 * size], [d, 6 * size]);
  return res;
}
