// Every op in function form: the primitives (each themed file in ops/ that users see is
// re-exported whole, so a new op there needs no line here) and the composites built on them.
export * from "../ops/unary.js";
export * from "../ops/rounding.js";
export * from "../ops/arithmetic.js";
export * from "../ops/comparison.js";
export * from "../ops/logical.js";
export * from "../ops/where.js";
export * from "../ops/activations.js";
export * from "../ops/copy.js";
export * from "../ops/reductions.js";
export * from "../ops/indexing.js";
export * from "../ops/cat.js";
export { cumsum, cumprod } from "../ops/scan.js";
export { argsort, sort, topk } from "../ops/sorting.js";
export type { SortOptions, TopkOptions, ValuesIndices } from "../ops/sorting.js";
export { view, permute, expand } from "../ops/views.js";
export * from "./math.js";
export * from "./shape.js";
export * from "./indexing.js";
export * from "./linalg.js";
export * from "./norms.js";
export * from "./masks.js";
export { clone } from "./inplace.js";
export type { AlphaOptions } from "./inplace.js";
export { einsum } from "./einsum.js";
export type { Dims, TensorLike } from "../ops/dispatch.js";
export { multinomial, bernoulli } from "./sampling.js";
export type { MultinomialOptions, BernoulliOptions } from "./sampling.js";
