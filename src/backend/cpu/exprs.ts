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
  // NaN <= 0 is false, so NaN passes through as in PyTorch.
  relu: "(a <= 0 ? 0 : a)",
  sign: "Math.sign(a)",
  erf: "erf(a)",
  logicalNot: "(a ? 0 : 1)",
};

export const BINARY_EXPR: { readonly [K in BinaryOp]: string } = {
  add: "a + b",
  sub: "a - b",
  mul: "a * b",
  div: "a / b",
  pow: "Math.pow(a, b)",
  maximum: "Math.max(a, b)",
  minimum: "Math.min(a, b)",
  eq: "(a === b ? 1 : 0)",
  ne: "(a !== b ? 1 : 0)",
  lt: "(a < b ? 1 : 0)",
  le: "(a <= b ? 1 : 0)",
  gt: "(a > b ? 1 : 0)",
  ge: "(a >= b ? 1 : 0)",
  logicalAnd: "(a && b ? 1 : 0)",
  logicalOr: "(a || b ? 1 : 0)",
};
