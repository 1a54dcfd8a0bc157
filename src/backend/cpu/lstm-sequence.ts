// The whole-sequence LSTM kernels (ops/lstm-sequence.ts has the contract): the time loop of
// one layer and direction inside one kernel call, so a step costs one small product
// h·W_hhᵀ and the cell's row loop, with no tensors, graph nodes or gradient sums per step.
// Backward recomputes every step's hidden projection with one product over all steps, then
// walks back through time, and forms ∂W_hh as one product over all steps as well.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { LstmSequenceAttrs } from "../../ops/lstm-sequence.js";
import { arrayOf, newOutput } from "./buffer.js";
import type { CellOperands } from "./cells.js";
import { gemmInto, rowMajor, transposed } from "./gemm-into.js";
import { lstmRowsBackward, lstmRowsForward } from "./lstm-cell.js";
import {
  fillBias,
  flat,
  keepReserve,
  previousHidden,
  release,
  savedProjections,
  scratch,
  timeOf,
  transposedWeight,
} from "./sequence.js";

/** The sizes and flat arrays of xg [T, B, 4H], h0, c0 [B, H], W_hh [4H, H] and b [4H]. */
function operands([xg, h0, c0, w, bias]: readonly TensorView[]) {
  const [T, B, G] = xg.shape;
  const H = G / 4;
  return {
    T,
    B,
    H,
    G,
    x: flat(xg, T * B * G),
    h0: flat(h0, B * H),
    c0: flat(c0, B * H),
    w: flat(w, G * H),
    bias: flat(bias, G),
  };
}

const cellOf = (
  gi: Float32Array,
  gh: Float32Array,
  state: Float32Array,
  B: number,
  H: number,
): CellOperands => ({ gi, gh, state, rows: B, hidden: H });

/**
 * out [2, T, B, H]: every step's h' then every step's c'. The bias joins each step's hidden
 * projection as the product's starting value. The projections themselves ([T, B, 4H]) stay
 * in the output's array past its last element, a reserve the backward kernel reads instead
 * of recomputing them (as cuDNN's reserve space); no view of the output reaches it.
 */
export function lstmSequenceKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  attrs: LstmSequenceAttrs,
  spec: OutputSpec,
): TensorView {
  const o = operands(inputs);
  const { T, B, H, G, x, h0, c0, bias } = o;
  const n = B * H;
  const res = newOutput("float32", spec.shape, 2 * T * n, false);
  const out = arrayOf(res) as Float32Array;
  const wT = rowMajor(transposedWeight(o.w, H, G), 0, G);
  const projections = scratch(attrs.keepProjections ? T * B * G : B * G);
  if (attrs.keepProjections) keepReserve(res, projections);
  for (let s = 0; s < T; s++) {
    const [t, prev] = timeOf(s, T, attrs.reverse);
    const hPrev = prev < 0 ? rowMajor(h0, 0, H) : rowMajor(out, prev * n, H);
    const at = attrs.keepProjections ? t * B * G : 0;
    const gh = projections.subarray(at, at + B * G);
    fillBias(gh, bias, B);
    gemmInto(hPrev, wT, projections, at, [B, H, G], true);
    const cPrev = prev < 0 ? c0 : out.subarray((T + prev) * n, (T + prev + 1) * n);
    const cell = cellOf(x.subarray(t * B * G, (t + 1) * B * G), gh, cPrev, B, H);
    lstmRowsForward(cell, out, t * n, out, (T + t) * n);
  }
  release(wT.array);
  if (!attrs.keepProjections) release(projections);
  return res;
}

/**
 * Inputs xg, h0, c0, W_hh, b, the forward's output and its gradient g [2, T, B, H]; writes
 * [∂xg (T·B·4H) | ∂h0 (B·H) | ∂c0 (B·H) | ∂W_hh (4H·H) | ∂b (4H)] flat.
 */
export function lstmSequenceGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  attrs: LstmSequenceAttrs,
  spec: OutputSpec,
): TensorView {
  const o = operands(inputs);
  const { T, B, H, G, x, c0, w } = o;
  const n = B * H;
  const [outView, gView] = [inputs[5], inputs[6]];
  const out = (arrayOf(outView) as Float32Array).subarray(outView.offset);
  const g = (arrayOf(gView) as Float32Array).subarray(gView.offset);
  const res = newOutput("float32", spec.shape, T * B * G + 2 * n + G * H + G, false);
  const d = arrayOf(res) as Float32Array;
  const prevH = previousHidden(o.h0, out, T, n, attrs.reverse);
  const gh = savedProjections(o, outView, prevH);
  // dh: the gradient reaching the step being processed (h's own plus the later step's
  // ∂gates·W_hh, accumulated by the product), ∂h0 once the loop ends; dc likewise for c.
  const dh = d.subarray(T * B * G, T * B * G + n);
  const [dc, dcPrev] = [new Float32Array(n), new Float32Array(n)];
  const gradOfStep = (s: number) => timeOf(s, T, attrs.reverse)[0];
  dh.set(g.subarray(gradOfStep(T - 1) * n, (gradOfStep(T - 1) + 1) * n));
  dc.set(g.subarray((T + gradOfStep(T - 1)) * n, (T + gradOfStep(T - 1) + 1) * n));
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = timeOf(s, T, attrs.reverse);
    const cPrev = prev < 0 ? c0 : out.subarray((T + prev) * n, (T + prev + 1) * n);
    const at = t * B * G;
    const cell = cellOf(x.subarray(at, at + B * G), gh.subarray(at, at + B * G), cPrev, B, H);
    lstmRowsBackward(cell, dh, dc, d, at, dcPrev, 0);
    const next = s > 0 ? gradOfStep(s - 1) : -1;
    if (next >= 0) dh.set(g.subarray(next * n, (next + 1) * n));
    gemmInto(rowMajor(d, at, G), rowMajor(w, 0, H), dh, 0, [B, G, H], next >= 0);
    if (next < 0) break;
    const gc = (T + next) * n;
    for (let e = 0; e < n; e++) dc[e] = g[gc + e] + dcPrev[e];
  }
  d.set(dcPrev, T * B * G + n);
  // ∂W_hh = Σ_t ∂gates_tᵀ · h_prev(t): one [4H, T·B] by [T·B, H] product.
  const dGatesT = transposed(d, 0, G);
  gemmInto(dGatesT, rowMajor(prevH, 0, H), d, T * B * G + 2 * n, [G, T * B, H], false);
  // ∂b = Σ over steps and rows of ∂gates: ones [1, T·B] by ∂gates [T·B, 4H].
  const ones = rowMajor(new Float32Array(T * B).fill(1), 0, T * B);
  gemmInto(ones, rowMajor(d, 0, G), d, T * B * G + 2 * n + G * H, [1, T * B, G], false);
  release(prevH, gh);
  return res;
}
