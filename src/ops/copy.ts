// Copies: a contiguous copy of a (possibly strided) view, and dtype conversion.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { type DType, assertDType } from "../tensor/dtype.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";

// The gradient passes through unchanged.
const copyRule: GradRule = { savesInputs: false, vjp: (g) => [g] };

/** A contiguous copy (what tensor.contiguous() runs). */
export const copy = definePrimitive(
  { name: "copy", kind: "compute", method: false, rule: copyRule },
  function copy(x: Tensor): Tensor {
    return run("copy", copyRule, [x], undefined, { shape: x.shape, dtype: x.dtype });
  },
);

// Only float32 carries gradients and casting float32 to float32 returns the input itself,
// so a cast never sits on a differentiable path.
const castRule: GradRule = { vjp: null };

/** Converts dtype (float32 <-> int32 <-> bool). Float to int truncates toward zero. */
export const cast = definePrimitive(
  { name: "cast", kind: "compute", method: true, rule: castRule },
  function cast(x: Tensor, dtype: DType): Tensor {
    assertDType(dtype, "cast");
    if (x.dtype === dtype) return x;
    return run("cast", castRule, [x], undefined, { shape: x.shape, dtype });
  },
);
