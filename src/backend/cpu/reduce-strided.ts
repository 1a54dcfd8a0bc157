// max/min/argmax/argmin over one strided dim, without the reordering copy: the fold runs one
// reduced index at a time across every output element (max pooling's argmax over the window
// axis reads [N, K, C, OH, OW] along K, a stride of C·OH·OW). Same results as the contiguous
// folds in reduce.ts: NaN wins and stays, argmax/argmin return the first extreme index.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { ReduceOp } from "../../ops/names.js";
import { arrayOf, newOutput } from "./buffer.js";
import { coalesce } from "./loops.js";

const SIGN: Partial<Record<ReduceOp, number>> = { max: 1, argmax: 1, min: -1, argmin: -1 };

/** Input offset of every output element (kept dims in order, the reduced index at 0). */
function baseOffsets(x: TensorView, dim: number, outer: number): Int32Array {
  const keptShape = x.shape.filter((_, d) => d !== dim);
  const keptStrides = x.strides.filter((_, d) => d !== dim);
  const [shape, [strides]] = coalesce(keptShape, [keptStrides]);
  const base = new Int32Array(outer);
  const nd = shape.length;
  const idx = new Int32Array(nd);
  let off = x.offset;
  for (let o = 0; o < outer; o++) {
    base[o] = off;
    for (let d = nd - 1; d >= 0; d--) {
      off += strides[d];
      if (++idx[d] < shape[d]) break;
      off -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return base;
}

/** The strided fold of `op` over `dim`, or null when it does not apply (use the copy path). */
export function foldAlongDim(
  op: ReduceOp,
  x: TensorView,
  dims: readonly number[],
  out: OutputSpec,
): TensorView | null {
  const sign = SIGN[op];
  if (dims.length !== 1 || sign === undefined) return null;
  const dim = dims[0];
  const R = x.shape[dim];
  const sr = x.strides[dim];
  if (R === 0 || sr === 1) return null;
  const outer = x.shape.reduce((n, s, d) => (d === dim ? n : n * s), 1);
  const base = baseOffsets(x, dim, outer);
  const src = arrayOf(x);
  const arg = op === "argmax" || op === "argmin";
  const res = newOutput(out.dtype, out.shape, outer, arg);
  // The running extreme is tracked by its index and re-read, and the index moves by
  // arithmetic on a 0/1 flag: no branch to mispredict when values are random.
  const at = arg ? (arrayOf(res) as Int32Array) : new Int32Array(outer);
  if (sign > 0) {
    for (let k = 1, step = sr; k < R; k++, step += sr)
      for (let o = 0; o < outer; o++) {
        const i = at[o];
        const b = src[base[o] + i * sr];
        const v = src[base[o] + step];
        at[o] = i + ((+(v > b) | +(v !== v)) & +(b === b)) * (k - i);
      }
  } else {
    for (let k = 1, step = sr; k < R; k++, step += sr)
      for (let o = 0; o < outer; o++) {
        const i = at[o];
        const b = src[base[o] + i * sr];
        const v = src[base[o] + step];
        at[o] = i + ((+(v < b) | +(v !== v)) & +(b === b)) * (k - i);
      }
  }
  if (!arg) {
    const dst = arrayOf(res);
    for (let o = 0; o < outer; o++) dst[o] = src[base[o] + at[o] * sr];
  }
  return res;
}
