// Shared dispatch for reductions: dim normalisation, keepdim, dtype rules and the helper that
// sends a reduced gradient back over the reduced dims.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDims } from "../tensor/shape.js";
import { asTensor, commonDevice, run, type Dims, type TensorLike } from "./dispatch.js";
import type { ReduceOp } from "./names.js";
import { view, expand } from "./views.js";

export interface ReduceAttrs {
  dims: number[];
  keepdim: boolean;
}

export function keptShape(
  shape: readonly number[],
  dims: readonly number[],
  keepdim: boolean,
): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!dims.includes(i)) out.push(d);
    else if (keepdim) out.push(1);
  });
  return out;
}

export function reduce(
  op: ReduceOp,
  x: TensorLike,
  dim: Dims | undefined,
  keepdim: boolean,
  rule: GradRule,
  outDType: (input: DType) => DType,
): Tensor {
  const t = asTensor(
    op,
    x,
    commonDevice(op, [x]),
    typeof x === "number" && !Number.isInteger(x) ? "float32" : "int32",
  );
  const dims = normDims(op, dim, t.ndim);
  const needsElements = op === "max" || op === "min" || op === "argmax" || op === "argmin";
  if (needsElements && dims.some((d) => t.shape[d] === 0))
    fail(
      op,
      `cannot reduce over a zero-size dim (input shape ${fmtShape(t.shape)}, dims ${JSON.stringify(dims)})`,
    );
  const shape = keptShape(t.shape, dims, keepdim);
  return run(op, rule, [t], { dims, keepdim } satisfies ReduceAttrs, {
    shape,
    dtype: outDType(t.dtype),
  });
}

/** Reshapes a reduced gradient to keepdim form and broadcasts it back over the input shape. */
export function expandBack(g: Tensor, inputShape: readonly number[], attrs: ReduceAttrs): Tensor {
  const kept = attrs.keepdim ? g : view(g, keptShape(inputShape, attrs.dims, true));
  return expand(kept, inputShape);
}

/** The reduced output in keepdim form, for rules that compare it with the input. */
export function keepdimOf(y: Tensor, inputShape: readonly number[], attrs: ReduceAttrs): Tensor {
  return attrs.keepdim ? y : view(y, keptShape(inputShape, attrs.dims, true));
}
