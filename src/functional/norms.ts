// Vector norms and pairwise distances, as torch.norm and torch.cdist. Every norm is a vector
// norm over the given dims (torch.norm's behaviour for a numeric p, and "fro" is the 2-norm
// over them). Where a norm is zero its gradient is zero, as in PyTorch: the root is taken of
// a safe stand-in there, so no 0/0 leaks into the graph.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { checkTensor } from "../tensor/validate.js";
import { type Dims, describe } from "../ops/dispatch.js";
import { pow, sub } from "../ops/arithmetic.js";
import { abs, sqrt } from "../ops/unary.js";
import { eq, ne } from "../ops/comparison.js";
import { where } from "../ops/where.js";
import { max, min, sum } from "../ops/reductions.js";
import { cast } from "../ops/copy.js";
import { unsqueeze } from "./shape.js";

/** A norm's order: a p (2, 1, Infinity, ...) or `"fro"` (Frobenius). */
export type NormOrder = number | "fro";

/** root(s) with root'(0) replaced by 0: the zero vector's norm has gradient 0. */
function safeRoot(s: Tensor, root: (t: Tensor) => Tensor): Tensor {
  const zero = eq(s, 0);
  return where(zero, 0, root(where(zero, 1, s)));
}

/**
 * The p-norm of x over `dim` (all elements by default): p = 2 or "fro" (Euclidean),
 * 1, Infinity (max |x|), -Infinity (min |x|), 0 (count of non-zeros), or any other number
 * (sum |x|^p)^(1/p).
 */
export function norm(x: Tensor, p: NormOrder = "fro", dim?: Dims, keepdim = false): Tensor {
  const t = checkTensor("norm", x);
  if (t.dtype !== "float32") fail("norm", `expected a float32 tensor, got ${describe(t)}`);
  if (p === "fro" || p === 2) return safeRoot(sum(pow(t, 2), dim, keepdim), sqrt);
  if (typeof p !== "number" || Number.isNaN(p))
    fail("norm", `p must be a number or "fro", got ${String(p)}`);
  if (p === 1) return sum(abs(t), dim, keepdim);
  if (p === Infinity) return max(abs(t), dim, keepdim);
  if (p === -Infinity) return min(abs(t), dim, keepdim);
  if (p === 0) return cast(sum(ne(t, 0), dim, keepdim), "float32");
  return safeRoot(sum(pow(abs(t), p), dim, keepdim), (s) => pow(s, 1 / p));
}

/**
 * Pairwise p-norm distances between the rows of x1 [..., P, M] and x2 [..., R, M]: a
 * [..., P, R] tensor (batch dims broadcast), as torch.cdist. Builds the [..., P, R, M]
 * differences, so memory grows with P·R·M.
 */
export function cdist(x1: Tensor, x2: Tensor, p: number = 2): Tensor {
  const a = checkTensor("cdist", x1, "x1");
  const b = checkTensor("cdist", x2, "x2");
  if (a.ndim < 2 || b.ndim < 2 || a.shape[a.ndim - 1] !== b.shape[b.ndim - 1])
    fail(
      "cdist",
      `expected x1 [..., P, M] and x2 [..., R, M] with the same M, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`,
    );
  if (typeof p !== "number" || !(p >= 0)) fail("cdist", `p must be a number >= 0, got ${p}`);
  return norm(sub(unsqueeze(a, -2), unsqueeze(b, -3)), p, -1);
}
