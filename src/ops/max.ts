// max over dims (all by default). NaN propagates. Gradient: extremum.ts (shared with min).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Dims, TensorLike } from "./dispatch.js";
import { reduce, type ReduceAttrs } from "./reduce.js";
import { extremumRule } from "./extremum.js";

export const maxRule: GradRule<ReduceAttrs> = extremumRule;

export function max(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("max", x, dim, keepdim, maxRule, (d) => d);
}
