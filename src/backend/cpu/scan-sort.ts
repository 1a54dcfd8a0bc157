// cumsum, cumprod and argsort on the CPU. The ops hand over a contiguous input and its
// [outer, n, inner] line layout; each line is walked in float64 (PyTorch's CPU scans
// accumulate in double too) and written back in the output dtype.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { LineAttrs } from "../../ops/scan.js";
import type { SortAttrs } from "../../ops/sorting.js";
import { arrayOf, newOutput } from "./buffer.js";

export function scanKernel(kind: "sum" | "prod") {
  return (_b: unknown, [x]: readonly TensorView[], a: LineAttrs, out: OutputSpec): TensorView => {
    const res = newOutput(out.dtype, out.shape, a.outer * a.n * a.inner, false);
    const src = arrayOf(x);
    const dst = arrayOf(res);
    for (let o = 0; o < a.outer; o++)
      for (let i = 0; i < a.inner; i++) {
        const base = o * a.n * a.inner + i;
        let acc = kind === "sum" ? 0 : 1;
        for (let k = 0; k < a.n; k++) {
          const p = base + k * a.inner;
          acc = kind === "sum" ? acc + src[x.offset + p] : acc * src[x.offset + p];
          // int32 results past the int32 range wrap (torch would return int64 here).
          dst[p] = out.dtype === "int32" ? acc | 0 : acc;
        }
      }
    return res;
  };
}

/** NaN sorts as the largest value; ties keep their original order (a stable sort). */
function comparator(values: Float64Array, descending: boolean) {
  return (i: number, j: number): number => {
    const a = values[i];
    const b = values[j];
    const an = Number.isNaN(a);
    const bn = Number.isNaN(b);
    let c = an || bn ? Number(an) - Number(bn) : a < b ? -1 : a > b ? 1 : 0;
    if (descending) c = -c;
    return c !== 0 ? c : i - j;
  };
}

export function argsortKernel(
  _b: unknown,
  [x]: readonly TensorView[],
  a: SortAttrs,
  out: OutputSpec,
): TensorView {
  const res = newOutput("int32", out.shape, a.outer * a.n * a.inner, false);
  const src = arrayOf(x);
  const dst = arrayOf(res);
  const line = new Float64Array(a.n);
  const order = Array.from({ length: a.n }, (_, k) => k);
  const cmp = comparator(line, a.descending);
  for (let o = 0; o < a.outer; o++)
    for (let i = 0; i < a.inner; i++) {
      const base = o * a.n * a.inner + i;
      for (let k = 0; k < a.n; k++) {
        line[k] = src[x.offset + base + k * a.inner];
        order[k] = k;
      }
      order.sort(cmp);
      for (let k = 0; k < a.n; k++) dst[base + k * a.inner] = order[k];
    }
  return res;
}
