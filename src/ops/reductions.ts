// sum over dims (all by default); bool and int32 sum to int32.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Dims, TensorLike } from "./dispatch.js";
import { expandBack, reduce, type ReduceAttrs } from "./reduce.js";

export const sumRule: GradRule<ReduceAttrs> = {
  savesInputs: false,
  vjp: (g, { inputShapes: [shape], attrs }) => [expandBack(g, shape, attrs)],
};

export function sum(x: TensorLike, dim?: Dims, keepdim = false): Tensor {
  return reduce("sum", x, dim, keepdim, sumRule, (d) => (d === "float32" ? "float32" : "int32"));
}
