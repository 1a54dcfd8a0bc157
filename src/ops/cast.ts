// cast: converts dtype (float32 <-> int32 <-> bool). Float to int truncates toward zero.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { type DType, assertDType } from "../tensor/dtype.js";
import { run } from "./dispatch.js";

// Only float32 carries gradients and casting float32 to float32 returns the input itself,
// so a cast never sits on a differentiable path.
export const castRule: GradRule = { vjp: null };

export function cast(x: Tensor, dtype: DType): Tensor {
  assertDType(dtype, "cast");
  if (x.dtype === dtype) return x;
  return run("cast", castRule, [x], undefined, { shape: x.shape, dtype });
}
