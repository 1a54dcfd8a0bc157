// min over dims (all by default). NaN propagates. Gradient: extremum.ts (shared with max).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Dims, TensorLike } from "./dispatch.js";
import { reduce, type ReduceAttrs } from "./reduce.js";
import { extremumRule } from "./extremum.js";

export const minRule: GradRule<ReduceAttrs> = extremumRule;

export function min(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("min", x, dim, keepdim, minRule, (d) => d);
}
