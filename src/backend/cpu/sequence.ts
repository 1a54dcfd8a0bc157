// What the whole-sequence recurrent kernels (lstm-sequence.ts, gru-sequence.ts) share: pooled
// scratch arrays, the transposed hidden weight, the bias rows their per-step products start
// from, the order of the steps, and each recorded forward's reserve of hidden projections.
import type { BackendBuffer, TensorView } from "../backend.js";
import { arrayOf } from "./buffer.js";
import { giveArray, takeArray } from "./pool.js";
import { gemmInto, rowMajor } from "./gemm-into.js";

/** The first n elements of a contiguous float32 view, as a flat array. */
export const flat = (v: TensorView, n: number): Float32Array =>
  (arrayOf(v) as Float32Array).subarray(v.offset, v.offset + n);

/** A pooled scratch array, filled by its user (returned with release): a fresh 2 MB one
 * costs page faults and later garbage collection on every training step. */
export const scratch = (length: number) => takeArray("float32", length, false) as Float32Array;
export const release = (...arrays: Float32Array[]) =>
  arrays.forEach((a) => giveArray("float32", a));

/**
 * W_hhᵀ ([G, H] → row-major [H, G]) into a scratch array: the GEMM packs a row-major B with
 * contiguous reads, a transposed one by register transposes, on every one of the T products.
 */
export function transposedWeight(w: Float32Array, H: number, G: number): Float32Array {
  const wT = scratch(H * G);
  for (let j = 0; j < G; j++) for (let k = 0; k < H; k++) wT[k * G + j] = w[j * H + k];
  return wT;
}

/** `rows` copies of the bias [G] into `dst` from 0: the hidden projections then add to it. */
export function fillBias(dst: Float32Array, bias: Float32Array, rows: number): void {
  if (rows === 0) return;
  dst.set(bias);
  // Doubling block copies (memmove) rather than one short set per row.
  const end = rows * bias.length;
  for (let filled = bias.length; filled < end; filled *= 2)
    dst.copyWithin(filled, 0, Math.min(filled, end - filled));
}

/** The time index of processing step s, and of the step before it (-1: the initial state). */
export function timeOf(s: number, T: number, reverse: boolean): [number, number] {
  return reverse ? [T - 1 - s, s === 0 ? -1 : T - s] : [s, s - 1];
}

/**
 * Every step's previous hidden state [T, B, H] (h0 at the first step processed), from the
 * forward's h rows hs (step t's [B, H] at t·B·H): the left operand of both the recomputed
 * projections and ∂W_hh.
 */
export function previousHidden(
  h0: Float32Array,
  hs: Float32Array,
  T: number,
  n: number,
  reverse: boolean,
): Float32Array {
  const prevH = scratch(T * n);
  for (let s = 0; s < T; s++) {
    const [t, prev] = timeOf(s, T, reverse);
    prevH.set(prev < 0 ? h0 : hs.subarray(prev * n, (prev + 1) * n), t * n);
  }
  return prevH;
}

/** Each recorded forward's hidden projections, by its output's buffer (never reused: the
 * pool recycles arrays, not buffers), until its backward takes them (cuDNN's reserve space). */
const reserves = new WeakMap<BackendBuffer, Float32Array>();

export function keepReserve(output: TensorView, projections: Float32Array): void {
  reserves.set(output.buffer, projections);
}

/** The reserve kept for this output if it has `length` entries, else null; either way, gone. */
export function takeReserve(output: TensorView, length: number): Float32Array | null {
  const kept = reserves.get(output.buffer);
  reserves.delete(output.buffer);
  return kept && kept.length === length ? kept : null;
}

/** The sizes and weights of one recurrent layer direction: W_hh [G, H], its bias [G]. */
export interface SequenceWeights {
  readonly T: number;
  readonly B: number;
  readonly H: number;
  readonly G: number;
  readonly w: Float32Array;
  readonly bias: Float32Array;
}

/**
 * Every step's hidden projection h_prev·W_hhᵀ + b [T, B, G]: the forward's, taken (a second
 * backward through a retained graph finds none), else recomputed by one product over all
 * steps. Pooled: the caller releases it.
 */
export function savedProjections(
  o: SequenceWeights,
  output: TensorView,
  prevH: Float32Array,
): Float32Array {
  const { T, B, H, G } = o;
  const kept = takeReserve(output, T * B * G);
  if (kept) return kept;
  const gh = scratch(T * B * G);
  fillBias(gh, o.bias, T * B);
  const wT = rowMajor(transposedWeight(o.w, H, G), 0, G);
  gemmInto(rowMajor(prevH, 0, H), wT, gh, 0, [T * B, H, G], true);
  release(wT.array);
  return gh;
}
