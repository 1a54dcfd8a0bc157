// Comparisons: a op b elementwise with broadcasting, in the operands' common dtype, giving a
// bool tensor (not differentiable). On the CPU they are written `+(a < b)`, not
// `(a < b ? 1 : 0)`: V8 compiles the former to a flag set without a branch, and the branch
// mispredicts on mixed-sign data (3x slower).
import type { GradRule } from "../autograd/node.js";
import { ORDERED, compare, test } from "../backend/exprs.js";
import { binaryOp } from "./elementwise.js";

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** a == b. */
export const eq = binaryOp("eq", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a === b)",
  wgsl: compare("=="),
});

/** a != b (true where either is NaN). */
export const ne = binaryOp("ne", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a !== b)",
  wgsl: (t) => test(t === "f32" ? `!(a == b && ${ORDERED})` : "a != b"),
});

/** a < b. */
export const lt = binaryOp("lt", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a < b)",
  wgsl: compare("<"),
});

/** a <= b. */
export const le = binaryOp("le", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a <= b)",
  wgsl: compare("<="),
});

/** a > b. */
export const gt = binaryOp("gt", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a > b)",
  wgsl: compare(">"),
});

/** a >= b. */
export const ge = binaryOp("ge", {
  dtypes: "compare",
  rule: notDifferentiable,
  cpu: "+(a >= b)",
  wgsl: compare(">="),
});
