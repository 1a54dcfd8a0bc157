// Rounding primitives: floor, ceil, round (half to even, as torch.round). Piecewise constant,
// so their gradient is zero everywhere (PyTorch's convention: the output still requires grad,
// and backward gives zeros rather than failing). Integer dtypes pass through unchanged.
import type { GradRule } from "../autograd/node.js";
import { byType } from "../backend/exprs.js";
import { unaryOp } from "./elementwise.js";
import { mul } from "./arithmetic.js";

const zeroRule: GradRule = { savesInputs: false, savesOutput: false, vjp: (g) => [mul(g, 0)] };

/** The largest integer <= x. */
export const floor = unaryOp("floor", {
  dtypes: "same",
  rule: zeroRule,
  cpu: "Math.floor(a)",
  wgsl: byType("floor(a)", "a"),
});

/** The smallest integer >= x. */
export const ceil = unaryOp("ceil", {
  dtypes: "same",
  rule: zeroRule,
  cpu: "Math.ceil(a)",
  wgsl: byType("ceil(a)", "a"),
});

/** The nearest integer, halves to even (2.5 → 2, 3.5 → 4), as torch.round. WGSL's round agrees. */
export const round = unaryOp("round", {
  dtypes: "same",
  rule: zeroRule,
  cpu: "(a - Math.floor(a) === 0.5 ? 2 * Math.round(a / 2) : Math.round(a))",
  wgsl: byType("round(a)", "a"),
});
