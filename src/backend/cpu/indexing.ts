// gather / scatterAdd on the CPU: visit every position of the index tensor, replacing the
// coordinate along `dim` by the index value. Out-of-range indices are errors, not garbage.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { contiguousStrides, sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";

/**
 * Offsets of every index position, row-major: the index's own offset, the target's without
 * the `dim` coordinate, and the source's (gather has none). Computed incrementally, so a
 * kernel pays a few additions per element rather than a walk over every dim.
 */
function offsets(
  index: TensorView,
  target: TensorView,
  src: TensorView | null,
  dim: number,
): [Int32Array, Int32Array, Int32Array | null] {
  const shape = index.shape;
  const nd = shape.length;
  const count = sizeOf(shape);
  const io = new Int32Array(count);
  const to = new Int32Array(count);
  const so = src ? new Int32Array(count) : null;
  const tStrides = target.strides.map((s, d) => (d === dim ? 0 : s));
  const idx = new Int32Array(nd);
  let i = index.offset;
  let t = target.offset;
  let o = src ? src.offset : 0;
  for (let pos = 0; pos < count; pos++) {
    io[pos] = i;
    to[pos] = t;
    if (so) so[pos] = o;
    for (let d = nd - 1; d >= 0; d--) {
      i += index.strides[d];
      t += tStrides[d];
      if (src) o += src.strides[d];
      if (++idx[d] < shape[d]) break;
      i -= index.strides[d] * shape[d];
      t -= tStrides[d] * shape[d];
      if (src) o -= src.strides[d] * shape[d];
      idx[d] = 0;
    }
  }
  return [io, to, so];
}

function checkIndex(
  op: string,
  i: number,
  size: number,
  dim: number,
  shape: readonly number[],
): number {
  if (i < -size || i >= size)
    fail(
      op,
      `index ${i} is out of bounds for dim ${dim} with size ${size} (input shape ${fmtShape(shape)})`,
    );
  return i < 0 ? i + size : i;
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
  const [io, to] = offsets(index, x, null, attrs.dim);
  for (let pos = 0; pos < io.length; pos++) {
    let k = ind[io[pos]];
    if (k < 0 || k >= size) k = checkIndex("gather", k, size, attrs.dim, x.shape);
    dst[pos] = src[to[pos] + k * stride];
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
  runLoop("a", x.shape, { array: dst, strides: contiguousStrides(x.shape), offset: 0 }, [
    { array: arrayOf(x), strides: x.strides, offset: x.offset },
  ]);
  const ind = arrayOf(index);
  const vals = arrayOf(src);
  const size = x.shape[attrs.dim];
  const stride = res.strides[attrs.dim];
  const [io, to, so] = offsets(index, res, src, attrs.dim);
  for (let pos = 0; pos < io.length; pos++) {
    let k = ind[io[pos]];
    if (k < 0 || k >= size) k = checkIndex("scatterAdd", k, size, attrs.dim, x.shape);
    dst[to[pos] + k * stride] += vals[so![pos]];
  }
  return res;
}
