// Method forms: x.add(y) is F.add(x, y). Derived, with their declarations, from the
// primitive table (rows whose definition says `method: true`) and from the list of
// composites below; only the irregular few are written out by hand. Declared by module
// augmentation so the Tensor class file stays free of maths and of import cycles.
import { Tensor } from "../tensor/tensor.js";
import * as F from "../functional/index.js";
import * as inplace from "../functional/inplace.js";
import type { Dims, TensorLike } from "./dispatch.js";
import type { ValuesWithIndices } from "./reductions.js";
import { PRIMITIVES, type PrimitiveTable } from "./table.js";

/** Composites that tensors offer as methods: x.name(...rest) is fn(x, ...rest). */
const COMPOSITE_METHODS = {
  rsqrt: F.rsqrt,
  log10: F.log10,
  log2: F.log2,
  square: F.square,
  reciprocal: F.reciprocal,
  elu: F.elu,
  gelu: F.gelu,
  silu: F.silu,
  softplus: F.softplus,
  clamp: F.clamp,
  mean: F.mean,
  var: F.variance,
  std: F.std,
  logsumexp: F.logsumexp,
  softmax: F.softmax,
  logSoftmax: F.logSoftmax,
  matmul: F.matmul,
  outer: F.outer,
  transpose: F.transpose,
  reshape: F.reshape,
  flatten: F.flatten,
  unflatten: F.unflatten,
  squeeze: F.squeeze,
  unsqueeze: F.unsqueeze,
  repeat: F.repeat,
  split: F.split,
  chunk: F.chunk,
  narrow: F.narrow,
  select: F.select,
  /** NumPy-style indexing: t.slice("0:10, :, -1"). */
  slice: F.sliceSpec,
  indexSelect: F.indexSelect,
  flip: F.flip,
  tril: F.tril,
  triu: F.triu,
  sort: F.sort,
  topk: F.topk,
  norm: F.norm,
  maskedFill: F.maskedFill,
  all: F.all,
  any: F.any,
  clone: F.clone,
  multinomial: F.multinomial,
  bernoulli: F.bernoulli,
  amax: F.amax,
  amin: F.amin,
  // In-place updates (method form only, as in PyTorch): x.mul_(2) changes x and returns it.
  /** Multiplies in place by `other`; returns this tensor (PyTorch's `mul_`). */
  mul_: inplace.mul_,
  /** Divides in place by `other`; returns this tensor. */
  div_: inplace.div_,
  /** Adds `other` (times `alpha`) in place; returns this tensor. */
  add_: inplace.add_,
  /** Subtracts `other` (times `alpha`) in place; returns this tensor. */
  sub_: inplace.sub_,
  /** Moves in place toward `end` by `weight`: x += weight·(end − x); returns this tensor. */
  lerp_: inplace.lerp_,
  /** Copies `src`'s values (broadcast) into this tensor; returns it. */
  copy_: inplace.copy_,
  /** Fills this tensor with `value` in place; returns it. */
  fill_: inplace.fill_,
  /** Fills this tensor with zeros in place; returns it. */
  zero_: inplace.zero_,
  /** Clamps in place to [min, max]; returns this tensor. */
  clamp_: inplace.clamp_,
  /** Writes `value` where `mask` is true, in place; returns this tensor. */
  maskedFill_: inplace.maskedFill_,
};

/**
 * The receiver of every method form. Exported so the declaration file keeps its Tensor import:
 * the composites' signatures above are inlined there and name Tensor (TypeScript 5.0, which
 * notebook cells are checked with, reads that file without skipping it).
 */
export type MethodReceiver = Tensor;

/** The method form of a function whose first parameter is the tensor. */
type MethodOf<Fn> = Fn extends (x: never, ...rest: infer R) => infer O ? (...rest: R) => O : never;

type PrimitiveMethodName = {
  [N in keyof PrimitiveTable]: PrimitiveTable[N]["primitive"]["method"] extends true ? N : never;
}[keyof PrimitiveTable];

/** Method forms of the primitives (x.add(y) is dl.add(x, y)), derived from the op table. */
export type PrimitiveMethods = { [N in PrimitiveMethodName]: MethodOf<PrimitiveTable[N]> };
/** Method forms of the composite functions (x.softmax(d) is dl.softmax(x, d)). */
export type CompositeMethods = {
  [N in keyof typeof COMPOSITE_METHODS]: MethodOf<(typeof COMPOSITE_METHODS)[N]>;
};

declare module "../tensor/tensor.js" {
  interface Tensor extends PrimitiveMethods, CompositeMethods {
    /** Max over one dim, with PyTorch's `.values` and `.indices`; over dims, values only. */
    max(dim: number, keepdim?: boolean): ValuesWithIndices;
    /** Max over dims (all when omitted): the values only. */
    max(dim?: Dims, keepdim?: boolean): Tensor;
    /** Min over one dim, with PyTorch's `.values` and `.indices`; over dims, values only. */
    min(dim: number, keepdim?: boolean): ValuesWithIndices;
    /** Min over dims (all when omitted): the values only. */
    min(dim?: Dims, keepdim?: boolean): Tensor;
    /** PyTorch's x.where(cond, y): x where cond holds, else y. */
    where(cond: TensorLike, other: TensorLike): Tensor;
    /** Broadcasts to `other`'s shape (a view), as PyTorch's `expand_as`. */
    expandAs(other: Tensor): Tensor;
    /** The transpose of a 2-D tensor (the last two dims swapped), as PyTorch's `.T`. */
    readonly T: Tensor;
    /** A float32 copy (this tensor when already float32). */
    float(): Tensor;
    /** An int32 copy, truncating toward zero. */
    int(): Tensor;
    /** A bool copy: nonzero is true. */
    bool(): Tensor;
  }
}

type Method = (this: Tensor, ...args: any[]) => unknown;

function methodOf(fn: (x: Tensor, ...rest: any[]) => unknown): Method {
  return function (this: Tensor, ...rest: unknown[]) {
    return fn(this, ...rest);
  };
}

const IRREGULAR: Record<string, Method> = {
  where(c, o) {
    return F.where(c, this, o);
  },
  expandAs(o) {
    return F.expand(this, o.shape);
  },
  float() {
    return F.cast(this, "float32");
  },
  int() {
    return F.cast(this, "int32");
  },
  bool() {
    return F.cast(this, "bool");
  },
};

/** Puts every method form on Tensor.prototype (src/wiring.ts calls this once, at load). */
export function installMethods(): void {
  const methods: Record<string, Method> = { ...IRREGULAR };
  for (const row of Object.values(PRIMITIVES))
    if (row.primitive.method) methods[row.primitive.name] = methodOf(row as never);
  for (const [name, fn] of Object.entries(COMPOSITE_METHODS)) methods[name] = methodOf(fn as never);
  for (const [name, fn] of Object.entries(methods))
    Object.defineProperty(Tensor.prototype, name, {
      value: fn,
      writable: true,
      configurable: true,
    });
  Object.defineProperty(Tensor.prototype, "T", {
    get(this: Tensor) {
      return F.t(this);
    },
    configurable: true,
  });
}
