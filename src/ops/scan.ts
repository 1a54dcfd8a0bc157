// Scans along one dim: cumsum and cumprod. Kernels see the input as a contiguous
// [outer, n, inner] block (the forward makes it contiguous), so each backend walks one line
// per (outer, inner) pair.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { DType } from "../tensor/dtype.js";
import { normDim } from "../tensor/shape.js";
import { asTensor, commonDevice, run, type TensorLike } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { div, mul } from "./arithmetic.js";
import { eq, ge } from "./comparison.js";
import { logicalOr } from "./logical.js";
import { where } from "./where.js";
import { flip } from "../functional/shape.js";

/** The line layout every scan and sort kernel reads: dim `dim` of a contiguous tensor. */
export interface LineAttrs {
  dim: number;
  outer: number;
  n: number;
  inner: number;
}

export function lineAttrs(op: string, x: Tensor, dim: number): LineAttrs {
  const d = normDim(op, dim, x.ndim);
  const shape = x.ndim === 0 ? [1] : x.shape;
  const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
  const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
  return { dim: d, outer, n: shape[d], inner };
}

const scanDType = (d: DType): DType => (d === "float32" ? "float32" : "int32");

function scan(op: "cumsum" | "cumprod", x: TensorLike, dim: number, rule: GradRule): Tensor {
  const t = asTensor(op, x, commonDevice(op, [x]), "float32");
  const attrs = lineAttrs(op, t, dim);
  return run(op, rule, [t.contiguous()], attrs, { shape: t.shape, dtype: scanDType(t.dtype) });
}

/** Sums g over positions j >= i along the dim (the adjoint of cumsum). */
function reverseCumsum(g: Tensor, dim: number): Tensor {
  return g.ndim === 0 ? g : flip(cumsum(flip(g, dim), dim), dim);
}

const cumsumRule: GradRule<LineAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs }) => [reverseCumsum(g, attrs.dim)],
};

/** Running sum along `dim` (bool and int32 give int32), as torch.cumsum. */
export const cumsum = definePrimitive(
  { name: "cumsum", kind: "compute", method: true, rule: cumsumRule },
  function cumsum(x: TensorLike, dim: number): Tensor {
    return scan("cumsum", x, dim, cumsumRule);
  },
);

/**
 * d/dx_i of sum_j g_j y_j with y_j = prod_{k<=j} x_k. Where x_i != 0 it is
 * revcumsum(g y)_i / x_i (terms after a zero vanish on both sides). At the first zero of a
 * line it is P_{i-1} * sum_{j>=i} g_j prod_{i<k<=j} x_k, both factors cumprods with the
 * elements up to that zero replaced by 1; at later zeros it is 0. So zeros get exact
 * gradients, with no division by zero.
 */
function cumprodGrad(g: Tensor, x: Tensor, y: Tensor, dim: number): Tensor {
  const isZero = eq(x, 0);
  const zerosSoFar = cumsum(isZero, dim);
  const firstZero = eq(mul(isZero, zerosSoFar), 1);
  const atOrAfterZero = ge(zerosSoFar, 1);
  const nonZeroGrad = div(reverseCumsum(mul(g, y), dim), where(isZero, 1, x));
  const before = cumprod(where(atOrAfterZero, 1, x), dim);
  const after = cumprod(where(logicalOr(eq(zerosSoFar, 0), firstZero), 1, x), dim);
  const tail = reverseCumsum(where(atOrAfterZero, mul(g, after), 0), dim);
  return where(isZero, where(firstZero, mul(before, tail), 0), nonZeroGrad);
}

const cumprodRule: GradRule<LineAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [x], output, attrs }) => [cumprodGrad(g, x, output, attrs.dim)],
};

/** Running product along `dim` (bool and int32 give int32), as torch.cumprod. */
export const cumprod = definePrimitive(
  { name: "cumprod", kind: "compute", method: true, rule: cumprodRule },
  function cumprod(x: TensorLike, dim: number): Tensor {
    return scan("cumprod", x, dim, cumprodRule);
  },
);
