// Reductions on the CPU: the kept dims are moved first and the reduced dims last (a strided
// copy through the loop engine), then each output element folds one contiguous run.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { ReduceOp } from "../../ops/names.js";
import { giveArray, takeArray } from "./pool.js";
import { contiguousStrides } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";

type Fold = (src: ArrayLike<number>, start: number, n: number) => number;

/** Each fold propagates NaN as PyTorch does; argmax/argmin return the first extreme index. */
const FOLDS: Record<ReduceOp, Fold> = {
  sum: (s, o, n) => {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += s[o + i];
    return acc;
  },
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
