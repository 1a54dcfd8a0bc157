// Reductions on the CPU: the kept dims are moved first and the reduced dims last (a strided
// copy through the loop engine), then each output element folds one contiguous run.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { ReduceOp } from "../../ops/names.js";
import { giveArray, takeArray } from "./pool.js";
import { contiguousStrides, sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";
import { foldAlongDim } from "./reduce-strided.js";

type Fold = (src: ArrayLike<number>, start: number, n: number) => number;

/** Each fold propagates NaN as PyTorch does; argmax/argmin return the first extreme index. */
const FOLDS: Record<ReduceOp, Fold> = {
  sum: (s, o, n) => sumRun(s, o, n),
  prod: (s, o, n) => {
    let acc = 1;
    for (let i = 0; i < n; i++) acc *= s[o + i];
    return acc;
  },
  max: (s, o, n) => {
    let acc = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = s[o + i];
      if (v > acc || v !== v) acc = v;
      if (acc !== acc) break;
    }
    return acc;
  },
  min: (s, o, n) => {
    let acc = Infinity;
    for (let i = 0; i < n; i++) {
      const v = s[o + i];
      if (v < acc || v !== v) acc = v;
      if (acc !== acc) break;
    }
    return acc;
  },
  argmax: (s, o, n) => {
    let best = 0;
    for (let i = 1; i < n; i++) {
      const v = s[o + i];
      if (s[o + best] !== s[o + best]) break;
      if (v > s[o + best] || v !== v) best = i;
    }
    return best;
  },
  argmin: (s, o, n) => {
    let best = 0;
    for (let i = 1; i < n; i++) {
      const v = s[o + i];
      if (s[o + best] !== s[o + best]) break;
      if (v < s[o + best] || v !== v) best = i;
    }
    return best;
  },
};

export function reduceKernel(op: ReduceOp) {
  return (
    _b: unknown,
    [x]: readonly TensorView[],
    attrs: { dims: number[] },
    out: OutputSpec,
  ): TensorView => {
    const dims = new Set(attrs.dims);
    const kept = x.shape.map((_, d) => d).filter((d) => !dims.has(d));
    const order = [...kept, ...attrs.dims];
    const permShape = order.map((d) => x.shape[d]);
    const inner = attrs.dims.reduce((n, d) => n * x.shape[d], 1);
    const outer = kept.reduce((n, d) => n * x.shape[d], 1);
    const strided = foldAlongDim(op, x, attrs.dims, out);
    if (strided) return strided;
    if (op === "sum" && inner > 0) {
      const direct = sumOfRuns(x, dims, outer, out);
      if (direct) return direct;
    }
    // Gather the input into [kept..., reduced...] order so each fold reads a contiguous run.
    const src = takeArray(x.dtype, outer * inner, false);
    runLoop("a", permShape, { array: src, strides: contiguousStrides(permShape), offset: 0 }, [
      { array: arrayOf(x), strides: order.map((d) => x.strides[d]), offset: x.offset },
    ]);
    const res = newOutput(out.dtype, out.shape, outer, false);
    const dst = arrayOf(res);
    const fold = FOLDS[op];
    for (let i = 0; i < outer; i++) dst[i] = fold(src, i * inner, inner);
    giveArray(x.dtype, src);
    return res;
  };
}

/**
 * Sum of src[start .. start + n) in float64 with four independent accumulators: one chain
 * of dependent additions waits on the adder's latency at every element.
 */
function sumRun(src: ArrayLike<number>, start: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = start + n;
  let k = start;
  for (; k + 4 <= end; k += 4) {
    s0 += src[k];
    s1 += src[k + 1];
    s2 += src[k + 2];
    s3 += src[k + 3];
  }
  for (; k < end; k++) s0 += src[k];
  return s0 + s1 + (s2 + s3);
}

/**
 * Sums without the reordering copy when the input's last dim is reduced and contiguous (a
 * per-channel sum over [N, C, H, W] is): each contiguous row is folded in place and added,
 * in float64 like the fold, to its output element. Returns null for other layouts.
 */
function sumOfRuns(
  x: TensorView,
  dims: ReadonlySet<number>,
  outer: number,
  out: OutputSpec,
): TensorView | null {
  const nd = x.shape.length;
  if (nd < 2 || !dims.has(nd - 1) || x.strides[nd - 1] !== 1) return null;
  // Trailing reduced dims that are contiguous together form one run (H·W for channel sums).
  let lead = nd - 1;
  let run = x.shape[nd - 1];
  while (lead > 0 && dims.has(lead - 1) && x.strides[lead - 1] === x.strides[lead] * x.shape[lead])
    run *= x.shape[--lead];
  // Output strides over the input's leading dims (0 on reduced ones), kept dims row-major.
  const oStrides = new Array<number>(lead).fill(0);
  for (let d = lead - 1, s = 1; d >= 0; d--)
    if (!dims.has(d)) {
      oStrides[d] = s;
      s *= x.shape[d];
    }
  const acc = new Float64Array(outer);
  const src = arrayOf(x);
  const rows = sizeOf(x.shape) / run;
  const idx = new Int32Array(lead);
  let xo = x.offset;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    acc[o] += sumRun(src, xo, run);
    for (let d = lead - 1; d >= 0; d--) {
      xo += x.strides[d];
      o += oStrides[d];
      if (++idx[d] < x.shape[d]) break;
      xo -= x.strides[d] * x.shape[d];
      o -= oStrides[d] * x.shape[d];
      idx[d] = 0;
    }
  }
  const res = newOutput(out.dtype, out.shape, outer, false);
  arrayOf(res).set(acc);
  return res;
}
