// Indexing composites: pad, tril/triu, indexSelect, oneHot.
import type { Tensor } from "../tensor/tensor.js";
import { checkIndexValues, checkInt, checkTensor, show } from "../tensor/validate.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { normDim } from "../tensor/shape.js";
import { arange, onesLike, scalarTensor } from "../tensor/create.js";
import { describe, type TensorLike } from "../ops/dispatch.js";
import { cast } from "../ops/copy.js";
import { eq, le, ge } from "../ops/comparison.js";
import { sub } from "../ops/arithmetic.js";
import { where } from "../ops/where.js";
import { unslice } from "../ops/slice.js";
import { gather } from "../ops/indexing.js";
import { expand, view } from "../ops/views.js";
import { narrow, unsqueeze } from "./shape.js";

/**
 * Constant padding like torch.nn.functional.pad: `pads` lists (before, after) pairs starting
 * from the last dim. Negative pads crop.
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  checkTensor("pad", x);
  if (!Array.isArray(pads)) fail("pad", `pads must be an array of integers, got ${show(pads)}`);
  pads.forEach((p, i) => checkInt("pad", p, `pads[${i}]`));
  if (typeof value !== "number" && typeof value !== "boolean")
    fail("pad", `value must be a number, got ${show(value)}`);
  if (pads.length % 2 !== 0 || pads.length / 2 > x.ndim)
    fail(
      "pad",
      `pads must hold (before, after) pairs for at most ${x.ndim} dims, got ${JSON.stringify(pads)}`,
    );
  let t = x;
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < pads.length / 2; k++) {
    const d = x.ndim - 1 - k;
    before[d] = pads[2 * k];
    after[d] = pads[2 * k + 1];
  }
  for (let d = 0; d < x.ndim; d++) {
    const cropL = Math.max(0, -before[d]);
    const cropR = Math.max(0, -after[d]);
    if (cropL + cropR > t.shape[d])
      fail("pad", `negative pads remove more than dim ${d} of size ${x.shape[d]}`);
    if (cropL || cropR) t = narrow(t, d, cropL, t.shape[d] - cropL - cropR);
  }
  const starts = before.map((b) => Math.max(0, b));
  const shape = t.shape.map((s, d) => s + starts[d] + Math.max(0, after[d]));
  const ones = t.shape.map(() => 1);
  const placed = unslice(t, shape, starts, ones);
  if (value === 0) return placed;
  const inside = unslice(onesLike(t, { dtype: "bool" }), shape, starts, ones);
  return where(inside, placed, value);
}

function triangle(
  op: string,
  x: Tensor,
  k: number,
  keep: (a: TensorLike, b: TensorLike) => Tensor,
): Tensor {
  if (x.ndim < 2) fail(op, `expects a tensor with at least 2 dims, got ${fmtShape(x.shape)}`);
  const rows = x.shape[x.ndim - 2];
  const cols = x.shape[x.ndim - 1];
  const colIdx = view(arange(cols, undefined, 1, { device: x.device }), [1, cols]);
  const rowIdx = view(arange(rows, undefined, 1, { device: x.device }), [rows, 1]);
  // where(mask, x, 0) keeps x's dtype (a bool mask stays bool: the causal-mask idiom).
  return where(keep(sub(colIdx, rowIdx), k), x, scalarTensor(0, x.dtype, x.device));
}

/** Lower triangle: keeps elements with col - row <= k. */
export const tril = (x: Tensor, k = 0): Tensor => triangle("tril", x, k, le);
/** Upper triangle: keeps elements with col - row >= k. */
export const triu = (x: Tensor, k = 0): Tensor => triangle("triu", x, k, ge);

/** Picks entries along `dim` by a 1-D int32 index (a gather on a broadcast index). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor("indexSelect", x);
  checkTensor("indexSelect", index, "index");
  const d = normDim("indexSelect", dim, x.ndim);
  if (index.ndim > 1 || index.dtype !== "int32")
    fail("indexSelect", `index must be a 1-D int32 tensor, got ${describe(index)}`);
  checkIndexValues("indexSelect", index, x.shape[d]);
  const n = index.size;
  const idxShape = x.shape.map((_, i) => (i === d ? n : 1));
  const target = x.shape.map((s, i) => (i === d ? n : s));
  return gather(x, d, expand(view(index, idxShape), target));
}

/** One-hot encoding of int32 class indices: shape [...indices.shape, numClasses], int32. */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  checkTensor("oneHot", indices, "indices");
  if (indices.dtype !== "int32") fail("oneHot", `indices must be int32, got ${describe(indices)}`);
  let n = checkInt("oneHot", numClasses, "numClasses");
  if (n < 0) {
    if (n !== -1) fail("oneHot", `numClasses must be -1 (inferred) or >= 0, got ${n}`);
    if (indices.device !== "cpu")
      fail("oneHot", "numClasses must be given for tensors not on the CPU");
    n = indices.size ? Array.from(indices.dataSync()).reduce((a, b) => Math.max(a, b), 0) + 1 : 0;
  }
  // A class outside [0, numClasses) would give an all-zero row; PyTorch raises instead.
  checkIndexValues("oneHot", indices, n, "class");
  return cast(
    eq(unsqueeze(indices, -1), arange(n, undefined, 1, { device: indices.device })),
    "int32",
  );
}
