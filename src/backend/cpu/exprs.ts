// The scalar expression of every elementwise primitive on the CPU, inlined by the loop engine.
// Inputs are named a, b, c. Mapped types make a missing entry a compile error.
import type { BinaryOp, UnaryOp } from "../../ops/names.js";

export const UNARY_EXPR: { readonly [K in UnaryOp]: string } = {
  neg: "-a",
  abs: "Math.abs(a)",
  exp: "Math.exp(a)",
  log: "Math.log(a)",
  sqrt: "Math.sqrt(a)",
  sin: "Math.sin(a)",
  cos: "Math.cos(a)",
  tanh: "Math.tanh(a)",
  sigmoid: "1 / (1 + Math.exp(-a))",
  // NaN <= 0 is false, so NaN passes through as in PyTorch. (float32 relu has its own
  // branch-free kernel: reluKernel in elementwise.ts.)
  relu: "(a <= 0 ? 0 : a)",
  sign: "Math.sign(a)",
  erf: "erf(a)",
  logicalNot: "+!a",
};

// Comparisons are written `+(a < b)`, not `(a < b ? 1 : 0)`: V8 compiles the former to a
// flag set without a branch, and the branch mispredicts on mixed-sign data (3x slower).
export const BINARY_EXPR: { readonly [K in BinaryOp]: string } = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  // C's pow, not JavaScript's: 1^y = 1 for every y (NaN too) and (-1)^±inf = 1, as in PyTorch.
  pow: "(a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b))",
  maximum: "Math.max(a, b)",
  minimum: "Math.min(a, b)",
  eq: "+(a === b)",
  ne: "+(a !== b)",
  lt: "+(a < b)",
  le: "+(a <= b)",
  gt: "+(a > b)",
  ge: "+(a >= b)",
  logicalAnd: "+(!!a & !!b)",
  logicalOr: "+(!!a | !!b)",
};
