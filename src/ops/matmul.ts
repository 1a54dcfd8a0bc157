// matmul primitive: [...batch, M, K] @ [...batch, K, N] with equal batch shapes (the public
// matmul in functional/ handles 1-D operands and broadcasts batch dims, then calls this).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { cast } from "./copy.js";
import { definePrimitive } from "./primitive.js";
import { permute } from "./views.js";

/** Whether two shapes of equal rank agree on every dim but the last two. */
function sameBatch(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length - 2; i++) if (a[i] !== b[i]) return false;
  return true;
}

function swapLast(t: Tensor): Tensor {
  const dims = t.shape.map((_, i) => i);
  [dims[t.ndim - 2], dims[t.ndim - 1]] = [dims[t.ndim - 1], dims[t.ndim - 2]];
  return permute(t, dims);
}

/** Whether t's last two dims lie as the transpose of a row-major matrix (a weight used as Wᵀ). */
function isTransposedLayout(t: Tensor): boolean {
  const nd = t.ndim;
  const rows = t.shape[nd - 2];
  const cols = t.shape[nd - 1];
  return rows > 1 && cols > 1 && t.strides[nd - 2] === 1 && t.strides[nd - 1] === rows;
}

/**
 * The gradient of b, laid out as b lies: for b = Wᵀ (every Linear) it is computed as
 * (gᵀ·a)ᵀ, so W's gradient comes out row-major and the engine stores it without a
 * transposing copy (and the operand transposed for the product is g, smaller than a).
 */
function gradOfB(a: Tensor, b: Tensor, g: Tensor): Tensor {
  if (isTransposedLayout(b)) return swapLast(batchedMatmul(swapLast(g), a));
  return batchedMatmul(swapLast(a), g);
}

const matmulRule: GradRule = {
  savesInputs: true,
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? batchedMatmul(g, swapLast(b)) : null,
    needs[1] ? gradOfB(a, b, g) : null,
  ],
};

/** [...batch, M, K] @ [...batch, K, N] with equal batch shapes. */
export const batchedMatmul = definePrimitive(
  { name: "matmul", kind: "compute", method: false, rule: matmulRule },
  function batchedMatmul(a: Tensor, b: Tensor): Tensor {
    const nd = a.ndim;
    if (
      nd < 2 ||
      b.ndim !== nd ||
      !sameBatch(a.shape, b.shape) ||
      a.shape[nd - 1] !== b.shape[nd - 2]
    )
      fail(
        "matmul",
        `cannot multiply ${fmtShape(a.shape)} by ${fmtShape(b.shape)}: expected [..., M, K] and [..., K, N]`,
      );
    const ta = a.dtype === "float32" ? a : cast(a, "float32");
    const tb = b.dtype === "float32" ? b : cast(b, "float32");
    const shape = [...a.shape.slice(0, -1), b.shape[nd - 1]];
    return run("matmul", matmulRule, [ta, tb], undefined, { shape, dtype: "float32" });
  },
);
