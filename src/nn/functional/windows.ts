// Window geometry shared by convolution and pooling: argument normalisation, PyTorch's
// output-size formula and rank checks. The windows themselves come from the im2col primitive.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";

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
