// The metrics take tensors (on any device) or plain arrays; this reads either into numbers.
import { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";

/** Numbers given as a tensor or any array-like. */
export type Values = Tensor | ArrayLike<number>;

/** The values as numbers (a tensor must be 1-D; reading a GPU tensor is async). */
export async function numbersOf(op: string, what: string, v: Values): Promise<number[]> {
  if (!(v instanceof Tensor)) return Array.from(v, Number);
  if (v.ndim !== 1) fail(op, `${what} must be 1-D, got ${fmtShape(v.shape)}`);
  return Array.from(v.backend.readSync ? v.dataSync() : await v.data(), Number);
}

export function sameLength(op: string, a: number[], b: number[], names: [string, string]): void {
  if (a.length !== b.length)
    fail(op, `${names[0]} (${a.length}) and ${names[1]} (${b.length}) must have the same length`);
}
