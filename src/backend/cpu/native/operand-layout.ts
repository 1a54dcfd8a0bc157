// How a contiguous float32 (or bool) input of an elementwise op broadcasts to the output seen
// as [outer, inner]: the patterns the native kernels read in place (elementwise.ts, chains.ts).
import type { TensorView } from "../../backend.js";
import { isContiguous, shapesEqual, sizeOf, spanOf } from "../../../tensor/shape.js";

/** An input addressed as p[off + r·so + c·si] over the output seen as [outer, inner]. */
export interface Layout {
  /** "full": the output's shape; "one": a single value; "row" / "col": repeated over outer / inner. */
  kind: "full" | "one" | "row" | "col";
  /** Elements in a row of the output (row and col kinds only). */
  inner: number;
}

/** How a contiguous input broadcasts to `shape`, or null when no kernel pattern fits. */
export function operandLayout(
  v: TensorView,
  shape: readonly number[],
  dtype = "float32",
): Layout | null {
  if (v.dtype !== dtype || !isContiguous(v.shape, v.strides)) return null;
  if (sizeOf(v.shape) === 1) return { kind: "one", inner: 0 };
  if (shapesEqual(v.shape, shape)) return { kind: "full", inner: 0 };
  const nd = shape.length;
  const lead = nd - v.shape.length;
  const dim = (d: number) => (d < lead ? 1 : v.shape[d - lead]);
  // A row: the output's trailing dims from k on, ones before; a column: its leading dims, ones after.
  let k = nd;
  while (k > 0 && dim(k - 1) === shape[k - 1]) k--;
  let ones = true;
  for (let d = 0; d < k; d++) ones &&= dim(d) === 1;
  if (ones) return { kind: "row", inner: spanOf(shape, k) };
  k = 0;
  while (k < nd && dim(k) === shape[k]) k++;
  for (let d = k; d < nd; d++) if (dim(d) !== 1) return null;
  return { kind: "col", inner: spanOf(shape, k) };
}
