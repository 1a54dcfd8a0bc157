// gather / scatterAdd on the CPU: walk every position of the index tensor, replacing the
// coordinate along `dim` by the index value. Out-of-range indices are errors, not garbage.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { contiguousStrides, sizeOf } from "../../tensor/shape.js";
import { arrayOf, newOutput } from "./buffer.js";
import { runLoop } from "./loops.js";

/** Calls visit(indexOffset, targetOffsetWithoutDim, srcOffset) for each index position. */
function walk(
  index: TensorView,
  target: TensorView,
  src: TensorView | null,
  dim: number,
  visit: (io: number, to: number, so: number, pos: number) => void,
): void {
  const shape = index.shape;
  const nd = shape.length;
  const count = sizeOf(shape);
  const idx = new Array(nd).fill(0);
  for (let pos = 0; pos < count; pos++) {
    let io = index.offset;
    let to = target.offset;
    let so = src ? src.offset : 0;
    for (let d = 0; d < nd; d++) {
      io += idx[d] * index.strides[d];
      if (d !== dim) to += idx[d] * target.strides[d];
      if (src) so += idx[d] * src.strides[d];
    }
    visit(io, to, so, pos);
    for (let d = nd - 1; d >= 0 && ++idx[d] === shape[d]; d--) idx[d] = 0;
  }
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
  const res = newOutput(x.dtype, out.shape, sizeOf(out.shape));
  const dst = arrayOf(res);
  const src = arrayOf(x);
  const ind = arrayOf(index);
  const size = x.shape[attrs.dim];
  const stride = x.strides[attrs.dim];
  walk(index, x, null, attrs.dim, (io, to, _so, pos) => {
    dst[pos] = src[to + checkIndex("gather", ind[io], size, attrs.dim, x.shape) * stride];
  });
  return res;
}

export function scatterAddKernel(
  _b: unknown,
  [x, index, src]: readonly TensorView[],
  attrs: { dim: number },
  out: OutputSpec,
): TensorView {
  const res = newOutput(x.dtype, out.shape, sizeOf(out.shape));
  const dst = arrayOf(res);
  runLoop("a", x.shape, { array: dst, strides: contiguousStrides(x.shape), offset: 0 }, [
    { array: arrayOf(x), strides: x.strides, offset: x.offset },
  ]);
  const ind = arrayOf(index);
  const vals = arrayOf(src);
  const size = x.shape[attrs.dim];
  const stride = res.strides[attrs.dim];
  walk(index, res, src, attrs.dim, (io, to, so) => {
    dst[to + checkIndex("scatterAdd", ind[io], size, attrs.dim, x.shape) * stride] += vals[so];
  });
  return res;
}
