// matmul with PyTorch's rules for 1-D operands and broadcast batch dims; outer.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { broadcastShapes, shapesEqual } from "../tensor/shape.js";
import { batchedMatmul } from "../ops/matmul.js";
import { expand } from "../ops/views.js";
import { mul } from "../ops/arithmetic.js";
import { reshape, squeeze, unsqueeze } from "./shape.js";

/**
 * Matrix product with PyTorch's broadcasting (`torch.matmul`): 1-D·1-D is a dot product, 2-D·2-D a
 * matrix product `[n, k]·[k, m] → [n, m]`, and batched inputs broadcast their leading dims.
 *
 * @example
 * ```ts
 * const a = dl.randn([32, 784]);
 * const w = dl.randn([784, 10]);
 * dl.matmul(a, w).shape; // [32, 10]
 * a.matmul(w); // the same, method form
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0)
    fail(
      "matmul",
      `both arguments need at least 1 dim, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  const left = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const right = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const K = left.shape[left.ndim - 1];
  if (right.shape[right.ndim - 2] !== K)
    fail(
      "matmul",
      `shapes ${fmtShape(a.shape)} and ${fmtShape(b.shape)} cannot be multiplied (${K} != ${right.shape[right.ndim - 2]})`,
    );
  // [..., K] by a matrix: one product over all leading rows, as torch.matmul folds it. Broadcast
  // instead, the matrix's gradient would be one [K, N] per batch entry, then summed.
  if (left.ndim > 2 && right.ndim === 2 && b.ndim === 2) {
    const lead = left.shape.slice(0, -1);
    const rows = lead.reduce((x, y) => x * y, 1);
    const out = batchedMatmul(reshape(left, [rows, K]), right);
    return reshape(out, [...lead, right.shape[1]]);
  }
  let out: Tensor;
  // Two matrices (the common case) or equal batch dims: no broadcast views, which cost two
  // handles and, for a weight, a graph node and its backward on every product.
  const [lb, rb] = [left.shape.slice(0, -2), right.shape.slice(0, -2)];
  if (shapesEqual(lb, rb)) out = batchedMatmul(left, right);
  else {
    const batch = broadcastShapes("matmul", lb, rb);
    const l = expand(left, [...batch, ...left.shape.slice(-2)]);
    const r = expand(right, [...batch, ...right.shape.slice(-2)]);
    out = batchedMatmul(l, r);
  }
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/** Outer product of two 1-D tensors: `[n], [m] → [n, m]` (`torch.outer`). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1)
    fail("outer", `expects two 1-D tensors, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  return mul(unsqueeze(a, 1), unsqueeze(b, 0));
}
