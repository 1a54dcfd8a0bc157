// What the fused recurrent cell kernels (lstm-cell.ts, gru-cell.ts) share: their operands as
// flat contiguous arrays, and the σ loop over a row's gate projections.
import type { TensorView } from "../backend.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf } from "./buffer.js";
import { expf } from "./special.js";

/** The gate projections gi, gh ([rows, gates · hidden]) and the state ([rows, hidden]). */
export interface CellOperands {
  gi: TypedArray;
  gh: TypedArray;
  state: TypedArray;
  rows: number;
  hidden: number;
}

export function cellOperands([gi, gh, state]: readonly TensorView[], gates: number): CellOperands {
  const hidden = state.shape[state.shape.length - 1];
  const flat = (v: TensorView, n: number) => arrayOf(v).subarray(v.offset, v.offset + n);
  const size = state.shape.reduce((a, b) => a * b, 1);
  return {
    gi: flat(gi, gates * size),
    gh: flat(gh, gates * size),
    state: flat(state, size),
    rows: hidden === 0 ? 0 : size / hidden,
    hidden,
  };
}

/** σ of gi + gh over `n` entries from `at`, into s[0..n). */
export function sigmoidInto(
  s: Float64Array,
  gi: TypedArray,
  gh: TypedArray,
  at: number,
  n: number,
): void {
  for (let j = 0; j < n; j++) s[j] = 1 / (1 + expf(-(gi[at + j] + gh[at + j])));
}
