// gather / scatterAdd on the CPU: visit every position of the index tensor, replacing the
// coordinate along `dim` by the index value. Out-of-range indices are errors, not garbage.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { contiguousStrides, isContiguous, sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { coalesce, runLoop } from "./loops.js";
import { nativeKernels } from "./native/native.js";
import type { TypedArray } from "../../tensor/dtype.js";

/**
 * The index positions as rows of the innermost (coalesced) dim: for each row the starting
 * offset into each operand, and each operand's stride along the row. Operands are the index,
 * the target with the `dim` coordinate dropped, and the source or output. Dims contiguous in
 * every operand merge first (as the loop engine does), so pooling windows, whose last dims
 * are all contiguous, walk long rows and the kernels run tight inner loops.
 */
function rows(
  index: TensorView,
  target: TensorView,
  other: { strides: readonly number[]; offset: number },
  dim: number,
): { inner: number; steps: number[]; starts: Int32Array[] } {
  const tStrides = target.strides.map((s, d) => (d === dim ? 0 : s));
  const [shape, strides] = coalesce(index.shape, [index.strides, tStrides, other.strides]);
  const nd = shape.length;
  const inner = nd === 0 ? 1 : shape[nd - 1];
  const steps = strides.map((st) => (nd === 0 ? 0 : st[nd - 1]));
  const count = inner === 0 ? 0 : sizeOf(index.shape) / inner;
  const starts = [new Int32Array(count), new Int32Array(count), new Int32Array(count)];
  const pos = [index.offset, target.offset, other.offset];
  const idx = new Int32Array(Math.max(nd - 1, 0));
  for (let r = 0; r < count; r++) {
    for (let k = 0; k < 3; k++) starts[k][r] = pos[k];
    for (let d = nd - 2; d >= 0; d--) {
      for (let k = 0; k < 3; k++) pos[k] += strides[k][d];
      if (++idx[d] < shape[d]) break;
      for (let k = 0; k < 3; k++) pos[k] -= strides[k][d] * shape[d];
      idx[d] = 0;
    }
  }
  return { inner, steps, starts };
}

type Layout = ReturnType<typeof rows>;
const nativeParams = new Float64Array(8);

/**
 * The rows in the native addon's C loop where it has one and the values are float32 (false
 * otherwise, or when an index is out of range: the loop here then names it). The typed-array
 * loops below see several element types and run ~5 ns per element; the C loop ~1.
 */
function nativeRows(
  target: TypedArray,
  index: TypedArray,
  other: TypedArray,
  { inner, steps, starts }: Layout,
  size: number,
  stride: number,
  scatter: boolean,
): boolean {
  const nk = nativeKernels();
  if (!nk?.gatherRows || !(target instanceof Float32Array) || !(other instanceof Float32Array))
    return false;
  if (starts[0].length === 0 || size < 1 || stride < 0 || !(index instanceof Int32Array))
    return false;
  nativeParams.set([starts[0].length, inner, ...steps, size, stride, scatter ? 1 : 0]);
  const [i0, t0, o0] = starts;
  return nk.gatherRows(target, index, other, i0, t0, o0, nativeParams);
}

function checkIndex(
  op: string,
  i: number,
  size: number,
  dim: number,
  shape: readonly number[],
): number {
  // Negative indices are out of bounds, as in PyTorch's gather/scatter (no wrapping).
  if (i < 0 || i >= size)
    fail(
      op,
      `index ${i} is out of bounds for dim ${dim} with size ${size} (input shape ${fmtShape(shape)})`,
    );
  return i;
}

export function gatherKernel(
  _b: unknown,
  [x, index]: readonly TensorView[],
  attrs: { dim: number },
  out: OutputSpec,
): TensorView {
  const res = newOutput(x.dtype, out.shape, sizeOf(out.shape), false);
  const dst = arrayOf(res);
  const src = arrayOf(x);
  const ind = arrayOf(index);
  const size = x.shape[attrs.dim];
  const stride = x.strides[attrs.dim];
  const layout = rows(index, x, res, attrs.dim);
  if (nativeRows(src, ind, dst, layout, size, stride, false)) return res;
  const { inner, steps, starts } = layout;
  const [si, st, so] = steps;
  for (let r = 0; r < starts[0].length; r++) {
    let i = starts[0][r];
    let t = starts[1][r];
    let o = starts[2][r];
    for (let j = 0; j < inner; j++, i += si, t += st, o += so) {
      let k = ind[i];
      if (k < 0 || k >= size) k = checkIndex("gather", k, size, attrs.dim, x.shape);
      dst[o] = src[t + k * stride];
    }
  }
  return res;
}

export function scatterAddKernel(
  _b: unknown,
  [x, index, src]: readonly TensorView[],
  attrs: { dim: number },
  out: OutputSpec,
): TensorView {
  const res = newOutput(x.dtype, out.shape, sizeOf(out.shape), false);
  const dst = arrayOf(res);
  if (isContiguous(x.shape, x.strides) && arrayOf(x).constructor === dst.constructor)
    dst.set(arrayOf(x).subarray(x.offset, x.offset + dst.length)); // one memcpy
  else
    runLoop("a", x.shape, { array: dst, strides: contiguousStrides(x.shape), offset: 0 }, [
      { array: arrayOf(x), strides: x.strides, offset: x.offset },
    ]);
  const ind = arrayOf(index);
  const vals = arrayOf(src);
  const size = x.shape[attrs.dim];
  const stride = res.strides[attrs.dim];
  const layout = rows(index, res, src, attrs.dim);
  if (nativeRows(dst, ind, vals, layout, size, stride, true)) return res;
  const { inner, steps, starts } = layout;
  const [si, st, ss] = steps;
  for (let r = 0; r < starts[0].length; r++) {
    let i = starts[0][r];
    let t = starts[1][r];
    let v = starts[2][r];
    for (let j = 0; j < inner; j++, i += si, t += st, v += ss) {
      let k = ind[i];
      if (k < 0 || k >= size) k = checkIndex("scatterAdd", k, size, attrs.dim, x.shape);
      dst[t + k * stride] += vals[v];
    }
  }
  return res;
}
