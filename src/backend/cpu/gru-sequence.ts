// The whole-sequence GRU kernels (ops/gru-sequence.ts has the contract): the time loop of one
// layer and direction inside one kernel call, so a step costs one small product h·W_hhᵀ and
// the cell's row loop, with no tensors, graph nodes or gradient sums per step. Backward walks
// back through time, then forms ∂W_hh and ∂b_hh as one product each over all steps.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { GruSequenceAttrs } from "../../ops/gru-sequence.js";
import { arrayOf, newOutput } from "./buffer.js";
import type { CellOperands } from "./cells.js";
import { gemmInto, rowMajor, transposed } from "./gemm-into.js";
import { gruRowsBackward, gruRowsForward } from "./gru-cell.js";
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

/** The sizes and flat arrays of xg [T, B, 3H], h0 [B, H], W_hh [3H, H] and b_hh [3H]. */
function operands([xg, h0, w, bias]: readonly TensorView[]) {
  const [T, B, G] = xg.shape;
  const H = G / 3;
  return {
    T,
    B,
    H,
    G,
    x: flat(xg, T * B * G),
    h0: flat(h0, B * H),
    w: flat(w, G * H),
    bias: flat(bias, G),
  };
}

type Operands = ReturnType<typeof operands>;

/** Step t's cell: its input projections, its hidden ones `gh` and the state it updates. */
function cellAt(o: Operands, t: number, gh: Float32Array, hPrev: Float32Array): CellOperands {
  const size = o.B * o.G;
  return { gi: o.x.subarray(t * size, (t + 1) * size), gh, state: hPrev, rows: o.B, hidden: o.H };
}

/** The state step t updates: h0 for the first step processed, else the previous step's h. */
function stateBefore(o: Operands, hs: Float32Array, prev: number): Float32Array {
  const n = o.B * o.H;
  return prev < 0 ? o.h0 : hs.subarray(prev * n, (prev + 1) * n);
}

/**
 * out [T, B, H]: every step's h'. b_hh joins each step's hidden projection as the product's
 * starting value. Where a graph is recorded the projections ([T, B, 3H]) are kept for the
 * backward kernel (a reserve by the output's buffer), else one step's scratch serves all.
 */
export function gruSequenceKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  attrs: GruSequenceAttrs,
  spec: OutputSpec,
): TensorView {
  const o = operands(inputs);
  const { T, B, H, G, bias } = o;
  const n = B * H;
  const res = newOutput("float32", spec.shape, T * n, false);
  const out = arrayOf(res) as Float32Array;
  const wT = rowMajor(transposedWeight(o.w, H, G), 0, G);
  const keep = attrs.keepProjections === true;
  const projections = scratch(keep ? T * B * G : B * G);
  if (keep) keepReserve(res, projections);
  for (let s = 0; s < T; s++) {
    const [t, prev] = timeOf(s, T, attrs.reverse);
    const hPrev = stateBefore(o, out, prev);
    const at = keep ? t * B * G : 0;
    const gh = projections.subarray(at, at + B * G);
    fillBias(gh, bias, B);
    gemmInto(rowMajor(hPrev, 0, H), wT, projections, at, [B, H, G], true);
    gruRowsForward(cellAt(o, t, gh, hPrev), out, t * n);
  }
  release(wT.array);
  if (!keep) release(projections);
  return res;
}

/**
 * Inputs xg, h0, W_hh, b_hh, the forward's output and its gradient g [T, B, H]; writes
 * [∂xg (T·B·3H) | ∂h0 (B·H) | ∂W_hh (3H·H) | ∂b_hh (3H)] flat.
 */
export function gruSequenceGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  attrs: GruSequenceAttrs,
  spec: OutputSpec,
): TensorView {
  const o = operands(inputs);
  const { T, B, H, G, w } = o;
  const n = B * H;
  const out = flat(inputs[4], T * n);
  const g = flat(inputs[5], T * n);
  const res = newOutput("float32", spec.shape, T * B * G + n + G * H + G, false);
  const d = arrayOf(res) as Float32Array;
  const prevH = previousHidden(o.h0, out, T, n, attrs.reverse);
  const gh = savedProjections(o, inputs[4], prevH);
  const dGh = scratch(T * B * G);
  // dh: the gradient reaching the step being processed, its own plus what flows back from
  // the step after it; `carry` (∂h0 once the loop ends) collects the latter: dh·z from the
  // update, then ∂gh·W_hh added by the product.
  const dh = scratch(n);
  const carry = d.subarray(T * B * G, T * B * G + n);
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = timeOf(s, T, attrs.reverse);
    const own = g.subarray(t * n, (t + 1) * n);
    if (s === T - 1) dh.set(own);
    else for (let e = 0; e < n; e++) dh[e] = own[e] + carry[e];
    const at = t * B * G;
    const cell = cellAt(o, t, gh.subarray(at, at + B * G), stateBefore(o, out, prev));
    gruRowsBackward(cell, dh, [d, at], [dGh, at], [carry, 0]);
    gemmInto(rowMajor(dGh, at, G), rowMajor(w, 0, H), carry, 0, [B, G, H], true);
  }
  // ∂W_hh = Σ_t ∂gh_tᵀ · h_prev(t): one [3H, T·B] by [T·B, H] product.
  gemmInto(transposed(dGh, 0, G), rowMajor(prevH, 0, H), d, T * B * G + n, [G, T * B, H], false);
  // ∂b_hh = Σ over steps and rows of ∂gh: ones [1, T·B] by ∂gh [T·B, 3H].
  const ones = rowMajor(new Float32Array(T * B).fill(1), 0, T * B);
  gemmInto(ones, rowMajor(dGh, 0, G), d, T * B * G + n + G * H, [1, T * B, G], false);
  release(prevH, gh, dGh, dh);
  return res;
}
