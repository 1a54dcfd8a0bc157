// Sorting: argsort is the primitive (a stable order along one dim, NaN counted as the largest
// value, as torch.sort(stable=True) orders it); sort and topk gather the values through its
// indices, so their gradients are gather's.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { asTensor, commonDevice, run, type TensorLike } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { gather } from "./indexing.js";
import { lineAttrs, type LineAttrs } from "./scan.js";
import { narrow } from "../functional/shape.js";

export interface SortAttrs extends LineAttrs {
  descending: boolean;
}

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Largest first (default false). Ties keep their original order either way. */
  descending?: boolean;
  /** Accepted for PyTorch's signature; the sort is always stable. */
  stable?: boolean;
}

/** What sort, topk and the dim forms of max/min return, as PyTorch's (values, indices). */
export interface ValuesIndices {
  /** The sorted (or selected) values. */
  readonly values: Tensor;
  /** int32 positions along the dim. */
  readonly indices: Tensor;
}

const notDifferentiable: GradRule = { vjp: null };

/** The int32 indices that sort `x` along `dim` (default the last), stably. */
export const argsort = definePrimitive(
  { name: "argsort", kind: "compute", method: true, rule: notDifferentiable },
  function argsort(x: TensorLike, dim = -1, opts: SortOptions = {}): Tensor {
    const t = asTensor("argsort", x, commonDevice("argsort", [x]), "float32");
    const attrs: SortAttrs = { ...lineAttrs("argsort", t, dim), descending: !!opts.descending };
    return run("argsort", notDifferentiable, [t.contiguous()], attrs, {
      shape: t.shape,
      dtype: "int32",
    });
  },
);

/** Values sorted along `dim` (default the last) and the indices they came from. */
export function sort(x: Tensor, dim = -1, opts: SortOptions = {}): ValuesIndices {
  const indices = argsort(x, dim, opts);
  if (x.ndim === 0) return { values: x, indices };
  return { values: gather(x, dim, indices), indices };
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** Largest k (default true) or smallest k. */
  largest?: boolean;
  /** Whether the k come out in order (always true here, as PyTorch's default). */
  sorted?: boolean;
}

/** The k largest (or smallest) values along `dim` (default the last), in order, with indices. */
export function topk(x: Tensor, k: number, dim = -1, opts: TopkOptions = {}): ValuesIndices {
  const { dim: d, n } = lineAttrs("topk", x, dim);
  if (!Number.isInteger(k) || k < 0 || k > n)
    fail("topk", `k=${k} is out of range: dim ${d} of ${fmtShape(x.shape)} has ${n} elements`);
  const order = argsort(x, d, { descending: opts.largest ?? true });
  if (x.ndim === 0) return { values: x, indices: order };
  const indices = narrow(order, d, 0, k);
  return { values: gather(x, d, indices), indices };
}
