// What the recurrent sequence primitives (lstm-sequence.ts, gru-sequence.ts) share: views of
// one step, the order steps run in, the operand check's message and the split of their
// backward kernels' flat gradient into one tensor per input.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { slice } from "./slice.js";
import { view } from "./views.js";

/** Entry `index` of x's leading dims, as a view of the remaining ones (x[t], x[0, t]). */
export function stepView(x: Tensor, index: readonly number[]): Tensor {
  const rest = x.shape.slice(index.length);
  const picked = slice(x, {
    starts: [...index, ...rest.map(() => 0)],
    sizes: [...index.map(() => 1), ...rest],
    steps: x.shape.map(() => 1),
  });
  return view(picked, rest);
}

/** The time index of processing step s, and of the step before it (-1: the initial state). */
export function timeOf(s: number, T: number, reverse: boolean): [number, number] {
  return reverse ? [T - 1 - s, s === 0 ? -1 : T - s] : [s, s - 1];
}

/** Fails `op` unless `ok`, naming what was `expected` and every operand's dtype and shape. */
export function checkSequenceOperands(
  op: string,
  ok: boolean,
  expected: string,
  operands: readonly Tensor[],
): void {
  if (!ok)
    fail(
      op,
      `expected ${expected}; got ` +
        operands.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(", "),
    );
}

/** The flat gradient of a backward kernel, cut into one view per input, in input order. */
export function splitGradients(grads: Tensor, inputs: readonly Tensor[]): Tensor[] {
  let start = 0;
  return inputs.map(({ shape }) => {
    const size = shape.reduce((x, y) => x * y, 1);
    const part = view(slice(grads, { starts: [start], sizes: [size], steps: [1] }), shape);
    start += size;
    return part;
  });
}
