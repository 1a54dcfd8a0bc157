// Masks: maskedFill, and the boolean reductions all/any (bool results, as PyTorch's).
import type { Tensor } from "../tensor/tensor.js";
import { fail } from "../tensor/errors.js";
import { checkTensor } from "../tensor/validate.js";
import { type Dims, type TensorLike, describe } from "../ops/dispatch.js";
import { eq, gt, ne } from "../ops/comparison.js";
import { where } from "../ops/where.js";
import { sum } from "../ops/reductions.js";
import { cast } from "../ops/copy.js";

/** x with `value` where the bool `mask` (broadcast against x) is true, as Tensor.masked_fill. */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  const t = checkTensor("maskedFill", x);
  const m = checkTensor("maskedFill", mask, "mask");
  if (m.dtype !== "bool") fail("maskedFill", `mask must be a bool tensor, got ${describe(m)}`);
  const filled = where(m, value, t);
  return filled.dtype === t.dtype ? filled : cast(filled, t.dtype);
}

/** Whether any element over `dim` (all by default) is non-zero; false over an empty set. */
export function any(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const t = checkTensor("any", x);
  return gt(sum(ne(t, 0), dim, keepdim), 0);
}

/** Whether every element over `dim` (all by default) is non-zero; true over an empty set. */
export function all(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const t = checkTensor("all", x);
  return eq(sum(eq(t, 0), dim, keepdim), 0);
}
