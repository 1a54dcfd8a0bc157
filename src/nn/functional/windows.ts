// Sliding windows for convolution and pooling, composed from view primitives: each kernel
// offset (i, j) is one strided slice of the (padded) input, and stacking the kh·kw slices
// gives the patch tensor that im2col would build. Its gradient is the slices' adjoint
// (unslice) summed by the engine, so no new primitive or backward is needed.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { slice } from "../../ops/slice.js";
import { cat } from "../../ops/cat.js";
import { view } from "../../ops/view.js";
import { permute } from "../../ops/permute.js";
import { reshape } from "../../functional/shape.js";

export type Pair = [number, number];
export type IntOrPair = number | readonly [number, number] | readonly number[];

/** Normalises an int-or-tuple argument to `n` entries, checking each is an integer ≥ `min`. */
export function tupleOf(op: string, name: string, v: IntOrPair, n: number, min = 0): number[] {
  const list = typeof v === "number" ? new Array<number>(n).fill(v) : [...v];
  if (list.length !== n || list.some((x) => !Number.isInteger(x) || x < min))
    fail(op, `${name} must be an integer >= ${min} or ${n} of them, got ${JSON.stringify(v)}`);
  return list;
}

export const pairOf = (op: string, name: string, v: IntOrPair, min = 0): Pair =>
  tupleOf(op, name, v, 2, min) as Pair;

/**
 * Output length of a sliding window along one axis (PyTorch's formula). With ceilMode the
 * last window may overhang the end, but it must start inside the input or left padding.
 */
export function windowCount(
  size: number,
  kernel: number,
  stride: number,
  padding: number,
  dilation: number,
  ceilMode = false,
): number {
  const span = size + 2 * padding - dilation * (kernel - 1) - 1;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + padding) out--;
  return out;
}

/** Checks an input is batched [N, C, ...spatial] or unbatched [C, ...spatial]. */
export function checkRank(op: string, x: Tensor, spatial: number): boolean {
  if (x.ndim !== spatial + 1 && x.ndim !== spatial + 2)
    fail(
      op,
      `expected a ${spatial + 1}-D (unbatched) or ${spatial + 2}-D (batched) input, got ${fmtShape(x.shape)}`,
    );
  return x.ndim === spatial + 1;
}

/**
 * Non-overlapping windows (stride = kernel, no dilation) tile the image, so the patch tensor
 * is a reshape and a permute of it: one copy forward and one backward, where the slice form
 * costs a full-size gradient per kernel tap.
 */
function tiles(x: Tensor, kernel: Pair, outHW: Pair): Tensor {
  const [N, C] = x.shape;
  const [OH, OW] = outHW;
  const [kh, kw] = kernel;
  const used = slice(x, {
    starts: [0, 0, 0, 0],
    sizes: [N, C, OH * kh, OW * kw],
    steps: [1, 1, 1, 1],
  });
  const split = reshape(used, [N, C, OH, kh, OW, kw]);
  return reshape(permute(split, [0, 1, 3, 5, 2, 4]), [N, C, kh * kw, OH, OW]);
}

/**
 * x [N, C, H, W] (already padded) → [N, C, kh·kw, OH, OW] with
 * out[n, c, i·kw + j, oh, ow] = x[n, c, oh·sh + i·dh, ow·sw + j·dw].
 */
export function patches(
  x: Tensor,
  kernel: Pair,
  stride: Pair,
  dilation: Pair,
  outHW: Pair,
): Tensor {
  const tiled =
    stride[0] === kernel[0] && stride[1] === kernel[1] && dilation[0] === 1 && dilation[1] === 1;
  if (tiled && kernel[0] * kernel[1] > 1) return tiles(x, kernel, outHW);
  const [N, C] = x.shape;
  const [OH, OW] = outHW;
  const taps: Tensor[] = [];
  for (let i = 0; i < kernel[0]; i++)
    for (let j = 0; j < kernel[1]; j++) {
      const tap = slice(x, {
        starts: [0, 0, i * dilation[0], j * dilation[1]],
        sizes: [N, C, OH, OW],
        steps: [1, 1, stride[0], stride[1]],
      });
      taps.push(view(tap, [N, C, 1, OH, OW]));
    }
  return taps.length === 1 ? taps[0] : cat(taps, 2);
}
