// Arithmetic elementwise primitives of two broadcast operands. "arith" ops compute in the
// operands' common dtype; div is true division (ints promoted to float32).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { byType, val } from "../backend/exprs.js";
import type { TensorLike } from "./dispatch.js";
import { binaryOp } from "./elementwise.js";
import { neg, log } from "./unary.js";
import { eq, gt, lt } from "./comparison.js";
import { where } from "./where.js";

const addRule: GradRule = { savesInputs: false, savesOutput: false, vjp: (g) => [g, g] };

/** a + b. */
export const add = binaryOp("add", {
  dtypes: "arith",
  rule: addRule,
  cpu: "a + b",
  wgsl: () => val("a + b"),
});

const subRule: GradRule = {
  savesInputs: false,
  savesOutput: false,
  vjp: (g, { needs }) => [g, needs[1] ? neg(g) : null],
};

/** a - b. */
export const sub = binaryOp("sub", {
  dtypes: "arith",
  rule: subRule,
  cpu: "a - b",
  wgsl: () => val("a - b"),
});

const mulRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => [needs[0] ? mul(g, b) : null, needs[1] ? mul(g, a) : null],
};

/** a * b. */
export const mul = binaryOp("mul", {
  dtypes: "arith",
  rule: mulRule,
  cpu: "a * b",
  wgsl: () => val("a * b"),
});

const divRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => [
    needs[0] ? div(g, b) : null,
    needs[1] ? neg(div(mul(g, a), mul(b, b))) : null,
  ],
};

/** True division a / b (integers are promoted to float32). */
export const div = binaryOp("div", {
  dtypes: "float",
  rule: divRule,
  cpu: "a / b",
  wgsl: () => val("a / b"),
});

const powRule: GradRule = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs: [a, b], output: y, needs }) => [
    needs[0] ? mul(g, mul(b, pow(a, sub(b, 1)))) : null,
    // d/db a^b = a^b ln a; PyTorch defines it as 0 where a = 0 (and b >= 0).
    needs[1] ? where(eq(a, 0), 0, mul(g, mul(y, log(a)))) : null,
  ],
};

/** a ** b. */
export const pow = binaryOp("pow", {
  dtypes: "arith",
  rule: powRule,
  // C's pow, not JavaScript's: 1^y = 1 for every y (NaN too) and (-1)^±inf = 1, as in PyTorch.
  cpu: "(a === 1 || (a === -1 && (b === Infinity || b === -Infinity)) ? 1 : Math.pow(a, b))",
  wgsl: byType("powf_(a, b)", "powi_(a, b)", "u32(powf_(f32(a), f32(b)))"),
});

/**
 * Gradient routing shared by maximum and minimum: the winner takes the gradient, and equal
 * operands share it half and half (PyTorch's convention, which keeps gradcheck symmetric).
 */
function tieSplit(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  needs: readonly boolean[],
  wins: (x: TensorLike, y: TensorLike) => Tensor,
): (Tensor | null)[] {
  const half = mul(g, 0.5);
  const tie = eq(a, b);
  return [
    needs[0] ? where(tie, half, where(wins(a, b), g, 0)) : null,
    needs[1] ? where(tie, half, where(wins(b, a), g, 0)) : null,
  ];
}

const maximumRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => tieSplit(g, a, b, needs, gt),
};

/** Elementwise max; NaN propagates; ties split the gradient evenly, as in PyTorch. */
export const maximum = binaryOp("maximum", {
  dtypes: "arith",
  rule: maximumRule,
  cpu: "Math.max(a, b)",
  wgsl: byType("maxf_(a, b)", "max(a, b)"),
});

const minimumRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [a, b], needs }) => tieSplit(g, a, b, needs, lt),
};

/** Elementwise min; NaN propagates; ties split the gradient evenly, as in PyTorch. */
export const minimum = binaryOp("minimum", {
  dtypes: "arith",
  rule: minimumRule,
  cpu: "Math.min(a, b)",
  wgsl: byType("minf_(a, b)", "min(a, b)"),
});
