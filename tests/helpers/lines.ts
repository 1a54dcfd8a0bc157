// Float64 references that work line by line along one dim (scans, sorts): each line is read
// out as a plain array, transformed, and written back. No library code involved.
import { type Arr, arr, normDim, ravel, sizeOf, unravel } from "./ref.js";

/** Applies `f` to every line of `a` along `dim`; f returns the new line (any length). */
export function mapLines(a: Arr, dim: number, f: (line: number[]) => number[]): Arr {
  if (a.shape.length === 0) return arr([], f([a.data[0]]));
  const d = normDim(dim, a.shape.length);
  const n = a.shape[d];
  const lineShape = a.shape.map((s, i) => (i === d ? 1 : s));
  let outShape: number[] | null = null;
  let out: Float64Array | null = null;
  for (let l = 0; l < sizeOf(lineShape); l++) {
    const idx = unravel(l, lineShape);
    const line = Array.from({ length: n }, (_, k) => {
      idx[d] = k;
      return a.data[ravel(idx, a.shape)];
    });
    const res = f(line);
    outShape ??= a.shape.map((s, i) => (i === d ? res.length : s));
    out ??= new Float64Array(sizeOf(outShape));
    res.forEach((v, k) => {
      idx[d] = k;
      out![ravel(idx, outShape!)] = v;
    });
  }
  return arr(outShape ?? a.shape, out ?? []);
}

/** A stable order of a line, NaN counted as the largest value (torch.sort(stable=True)). */
export function stableOrder(line: readonly number[], descending = false): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const nanRank = (v: number) => (Number.isNaN(v) ? 1 : 0);
  return line
    .map((_, i) => i)
    .sort((i, j) => {
      const a = line[i];
      const b = line[j];
      let c = key(a) - key(b) || nanRank(a) - nanRank(b);
      if (Number.isNaN(c)) c = 0;
      if (descending) c = -c;
      return c || i - j;
    });
}
