// The primitive op set. Everything else in the library is composed from these.
// Backends implement one kernel per compute primitive (mapped types over these unions make a
// missing kernel a compile error); view primitives only rewrite shape/strides/offset.

export const UNARY_OPS = [
  "neg",
  "abs",
  "exp",
  "log",
  "sqrt",
  "sin",
  "cos",
  "tanh",
  "sigmoid",
  "relu",
  "sign",
  "erf",
  "logicalNot",
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "maximum",
  "minimum",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "logicalAnd",
  "logicalOr",
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const REDUCE_OPS = ["sum", "max", "min", "prod", "argmax", "argmin"] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** Primitives that compute new values and so need a kernel on every backend. */
export type ComputeOp =
  | UnaryOp
  | BinaryOp
  | ReduceOp
  | "where"
  | "cast"
  | "copy"
  | "matmul"
  | "gather"
  | "scatterAdd"
  | "cat"
  | "unslice"
  | "im2col"
  | "col2im";

/** Primitives that only reinterpret a buffer (shared storage, no kernel). */
export type ViewOp = "view" | "permute" | "expand" | "slice";

export type PrimitiveName = ComputeOp | ViewOp;
