// Reductions over dims (all by default; shared dispatch in reduce.ts): sum, prod, max, min,
// and argmax/argmin over one dim.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { asTensor, commonDevice, type Dims, type TensorLike } from "./dispatch.js";
import { expandBack, keepdimOf, reduce, type ReduceAttrs } from "./reduce.js";
import { definePrimitive } from "./primitive.js";
import { div, mul } from "./arithmetic.js";
import { eq } from "./comparison.js";
import { where } from "./where.js";
import { view } from "./views.js";
import { reshape } from "../functional/shape.js";
import { fail } from "../tensor/errors.js";

const sumRule: GradRule<ReduceAttrs> = {
  savesInputs: false,
  vjp: (g, { inputShapes: [shape], attrs }) => [expandBack(g, shape, attrs)],
};

/** Sum over dims; bool and int32 sum to int32. */
export const sum = definePrimitive(
  { name: "sum", kind: "reduce", method: true, rule: sumRule },
  function sum(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
    return reduce("sum", x, dim, keepdim, sumRule, (d) => (d === "float32" ? "float32" : "int32"));
  },
);

// The gradient is prod/x where x != 0; with one zero in a slice, only that element gets a
// gradient (the product of the others); with two or more, none do.
const prodRule: GradRule<ReduceAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x], attrs }) => {
    const isZero = eq(x, 0);
    const zeros = sum(isZero, attrs.dims, true);
    const nonZeroProd = prod(where(isZero, 1, x), attrs.dims, true);
    const ge = expandBack(g, x.shape, attrs);
    const noZero = div(nonZeroProd, where(isZero, 1, x));
    const grad = where(eq(zeros, 0), noZero, where(isZero, where(eq(zeros, 1), nonZeroProd, 0), 0));
    return [mul(ge, grad)];
  },
};

/** Product over dims. */
export const prod = definePrimitive(
  { name: "prod", kind: "reduce", method: true, rule: prodRule },
  function prod(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
    return reduce("prod", x, dim, keepdim, prodRule, (d) => (d === "bool" ? "int32" : d));
  },
);

// Shared by max and min: the gradient goes to the elements equal to the result, shared
// evenly among ties (PyTorch's amax/amin convention).
const extremumRule: GradRule<ReduceAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [x], output, attrs }) => {
    const mask = eq(x, keepdimOf(output, x.shape, attrs));
    const count = sum(mask, attrs.dims, true);
    return [div(mul(expandBack(g, x.shape, attrs), mask), count)];
  },
};

/**
 * What max(x, dim) and min(x, dim) over one dim return: the values, which also answer to
 * PyTorch's named-tuple fields `.values` (themselves) and `.indices` (argmax/argmin over the
 * same dim, computed on first read from the input), so `const { values, indices } =
 * x.max(1)` works and code using the values as a tensor keeps working.
 */
export type ValuesWithIndices = Tensor & {
  /** The reduced values (the tensor itself). */
  readonly values: Tensor;
  /** int32 positions of the values along the dim (argmax/argmin). */
  readonly indices: Tensor;
};

function attachIndices(
  values: Tensor,
  x: TensorLike,
  dim: number,
  keepdim: boolean,
  arg: (x: TensorLike, dim?: number, keepdim?: boolean) => Tensor,
): ValuesWithIndices {
  if (typeof x !== "object") return values as ValuesWithIndices; // a 0-d number's index is 0
  const counter = x._version; // the counter of these values: an in-place op moves it on
  const version = counter.value;
  let indices: Tensor | null = null;
  Object.defineProperty(values, "values", { get: () => values, configurable: true });
  Object.defineProperty(values, "indices", {
    get: () => {
      if (counter.value !== version)
        fail(
          arg.name,
          `the input was modified in place (${counter.lastOp}) before .indices was read`,
        );
      return (indices ??= arg(x, dim, keepdim));
    },
    configurable: true,
  });
  return values as ValuesWithIndices;
}

/** Max over dims (all by default). NaN propagates. Over one dim, also `.indices`. */
function maxOf(x: TensorLike, dim: number, keepdim?: boolean): ValuesWithIndices;
function maxOf(x: TensorLike, dim?: Dims, keepdim?: boolean): Tensor;
function maxOf(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  const values = reduce("max", x, dim, keepdim, extremumRule, (d) => d);
  return typeof dim === "number" ? attachIndices(values, x, dim, keepdim, argmax) : values;
}

/** Min over dims (all by default). NaN propagates. Over one dim, also `.indices`. */
function minOf(x: TensorLike, dim: number, keepdim?: boolean): ValuesWithIndices;
function minOf(x: TensorLike, dim?: Dims, keepdim?: boolean): Tensor;
function minOf(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  const values = reduce("min", x, dim, keepdim, extremumRule, (d) => d);
  return typeof dim === "number" ? attachIndices(values, x, dim, keepdim, argmin) : values;
}

/**
 * Max over `dim` (all elements when omitted), as `torch.max`: along one dim the result also carries
 * `.values` and `.indices`.
 */
export const max = definePrimitive(
  { name: "max", kind: "reduce", method: true, rule: extremumRule },
  maxOf,
);

/**
 * Min over `dim` (all elements when omitted), as `torch.min`: along one dim the result also carries
 * `.values` and `.indices`.
 */
export const min = definePrimitive(
  { name: "min", kind: "reduce", method: true, rule: extremumRule },
  minOf,
);

/** Max over dims, values only (PyTorch's amax; the same as max with a dim list). */
export function amax(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("max", x, dim, keepdim, extremumRule, (d) => d);
}

/** Min over dims, values only (PyTorch's amin). */
export function amin(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("min", x, dim, keepdim, extremumRule, (d) => d);
}

const notDifferentiable: GradRule = { vjp: null };

/**
 * The shared body of argmax and argmin: int32 indices of the first extreme value over one dim
 * (NaN counts as the extreme, as in PyTorch), or over the flattened tensor when dim is
 * omitted, in which case keepdim keeps every dim as size 1, as in PyTorch.
 */
function argExtremum(
  op: "argmax" | "argmin",
  x: TensorLike,
  dim: number | undefined,
  keepdim: boolean,
): Tensor {
  const rule = notDifferentiable;
  const t = asTensor(op, x, commonDevice(op, [x]), "float32");
  if (dim !== undefined) return reduce(op, t, dim, keepdim, rule, () => "int32");
  const flat = reduce(op, reshape(t, [-1]), 0, false, rule, () => "int32");
  return keepdim
    ? view(
        flat,
        t.shape.map(() => 1),
      )
    : flat;
}

/** Indices of the maximum over one dim (or the flattened tensor). Not differentiable. */
export const argmax = definePrimitive(
  { name: "argmax", kind: "reduce", method: true, rule: notDifferentiable },
  function argmax(x: TensorLike, dim?: number, keepdim = false): Tensor {
    return argExtremum("argmax", x, dim, keepdim);
  },
);

/** Indices of the minimum over one dim (or the flattened tensor). Not differentiable. */
export const argmin = definePrimitive(
  { name: "argmin", kind: "reduce", method: true, rule: notDifferentiable },
  function argmin(x: TensorLike, dim?: number, keepdim = false): Tensor {
    return argExtremum("argmin", x, dim, keepdim);
  },
);
