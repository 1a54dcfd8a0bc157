// Logical ops on truth values (non-zero is true), bool in and out; not differentiable.
import type { GradRule } from "../autograd/node.js";
import { test } from "../backend/exprs.js";
import { binaryOp, unaryOp } from "./elementwise.js";

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** Elementwise AND. */
export const logicalAnd = binaryOp("logicalAnd", {
  dtypes: "logical",
  rule: notDifferentiable,
  cpu: "+(!!a & !!b)",
  wgsl: () => test("a != 0u && b != 0u"),
});

/** Elementwise OR. */
export const logicalOr = binaryOp("logicalOr", {
  dtypes: "logical",
  rule: notDifferentiable,
  cpu: "+(!!a | !!b)",
  wgsl: () => test("a != 0u || b != 0u"),
});

/** Elementwise NOT. */
export const logicalNot = unaryOp("logicalNot", {
  dtypes: "bool",
  rule: notDifferentiable,
  cpu: "+!a",
  wgsl: () => test("a == 0u"),
});
