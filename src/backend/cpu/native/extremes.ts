// max, min, argmax and argmin on the native path (../kernels/extremes.c): a contiguous
// float32 tensor over consecutive dims (x [outer, R, inner] over R), split across the
// addon's threads; bitwise what reduce.ts's folds give (the first NaN, the first of equal
// values). Other views, dims and dtypes return null and the loop engine runs them.
import type { TensorView } from "../../backend.js";
import type { OutputSpec } from "../../registry.js";
import { isContiguous, sizeOf } from "../../../tensor/shape.js";
import { arrayOf, newOutput } from "../buffer.js";
import type { NativeKernels } from "./native.js";
import { elementThreads, MIN_NATIVE_ELEMENTS, record } from "./runs.js";
import { sumLayout } from "./sums.js";

/** The reductions with a native kernel: extremes.h's codes. */
export const NATIVE_EXTREMES: Readonly<Record<string, number>> = {
  max: 0,
  min: 1,
  argmax: 2,
  argmin: 3,
};
/** extremes.h's EXT_COLUMNS, and pool.c's most tasks per call. */
const COLUMNS = 256;
const MAX_TASKS = 65535;

const params = new Float64Array(7);

export function nativeExtreme(
  nk: NativeKernels,
  op: string,
  x: TensorView,
  dims: readonly number[],
  out: OutputSpec,
): TensorView | null {
  const code = NATIVE_EXTREMES[op];
  const n = sizeOf(x.shape);
  const outDType = code >= 2 ? "int32" : "float32";
  if (n < MIN_NATIVE_ELEMENTS || x.dtype !== "float32" || out.dtype !== outDType) return null;
  if (dims.length === 0 || !isContiguous(x.shape, x.strides)) return null;
  const layout = sumLayout(x.shape, dims);
  if (!layout || layout[0] !== 1) return null;
  const [, outer, R, inner] = layout;
  if (R < 1 || (inner > 1 && outer * Math.ceil(inner / COLUMNS) > MAX_TASKS)) return null;
  const res = newOutput(outDType, out.shape, outer * inner, false);
  const threads = elementThreads(n);
  params.set([code, x.offset, 0, outer, R, inner, threads]);
  const into = arrayOf(res) as Float32Array | Int32Array;
  record(threads, nk.extreme(arrayOf(x) as Float32Array, into, params));
  return res;
}
