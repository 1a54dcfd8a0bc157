// Elementwise primitives of one operand: each is its gradient rule, then its function form
// with the scalar expression every backend compiles (CPU: JavaScript over `a`; WebGPU: WGSL).
// "float" ops compute in float32 (ints promoted); "same" ops keep the dtype.
import type { GradRule } from "../autograd/node.js";
import { byType, val } from "../backend/exprs.js";
import { unaryOp } from "./elementwise.js";
import { add, div, mul, sub } from "./arithmetic.js";
import { gt } from "./comparison.js";
import { fusedMap, type FusedExpr } from "./fused.js";
import { isGradEnabled } from "../autograd/mode.js";

const negRule: GradRule = { savesInputs: false, savesOutput: false, vjp: (g) => [neg(g)] };

/** Elementwise negation. */
export const neg = unaryOp("neg", {
  dtypes: "same",
  rule: negRule,
  cpu: "-a",
  wgsl: () => val("-a"),
});

// The gradient at 0 is 0, as in PyTorch.
const absRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, sign(x))],
};

/** Absolute value. */
export const abs = unaryOp("abs", {
  dtypes: "same",
  rule: absRule,
  cpu: "Math.abs(a)",
  wgsl: () => val("abs(a)"),
});

const expRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output }) => [mul(g, output)],
};

/** e^x. */
export const exp = unaryOp("exp", {
  dtypes: "float",
  rule: expRule,
  cpu: "expf(a)",
  wgsl: () => val("expf_(a)"),
});

const logRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [div(g, x)],
};

/** Natural logarithm. */
export const log = unaryOp("log", {
  dtypes: "float",
  rule: logRule,
  cpu: "Math.log(a)",
  wgsl: () => val("logf_(a)"),
});

const sqrtRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output }) => [div(g, mul(output, 2))],
};

/** Square root. */
export const sqrt = unaryOp("sqrt", {
  dtypes: "float",
  rule: sqrtRule,
  cpu: "Math.sqrt(a)",
  wgsl: () => val("sqrtf_(a)"),
});

const sinRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, cos(x))],
};

/** Sine. */
export const sin = unaryOp("sin", {
  dtypes: "float",
  rule: sinRule,
  cpu: "Math.sin(a)",
  wgsl: () => val("sinf_(a)"),
});

const cosRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [neg(mul(g, sin(x)))],
};

/** Cosine. */
export const cos = unaryOp("cos", {
  dtypes: "float",
  rule: cosRule,
  cpu: "Math.cos(a)",
  wgsl: () => val("cosf_(a)"),
});

// The gradient 1 - y² reuses the output.
const tanhRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, sub(1, mul(y, y)))],
};

/** Hyperbolic tangent. */
export const tanh = unaryOp("tanh", {
  dtypes: "float",
  rule: tanhRule,
  cpu: "tanhf(a)",
  wgsl: () => val("tanhf_(a)"),
});

// The gradient y(1 - y) reuses the output.
const sigmoidRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, mul(y, sub(1, y)))],
};

/** The logistic function 1 / (1 + e^-x). */
export const sigmoid = unaryOp("sigmoid", {
  dtypes: "float",
  rule: sigmoidRule,
  cpu: "1 / (1 + expf(-a))",
  wgsl: () => val("sigmoidf_(a)"),
});

/** g·[y > 0] in one pass (the mask and the product were two, each a full-size array). */
const RELU_GRADIENT: FusedExpr = {
  name: "relu gradient",
  cpu: "a * +(b > 0)",
  wgsl: "a * select(0.0, 1.0, b > 0.0)",
};

// The gradient at 0 is 0, as in PyTorch. Without a graph being recorded it is one fused
// pass; under createGraph it is composed, so it can be differentiated.
const reluRule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [
    isGradEnabled() || y.dtype !== "float32" ? mul(g, gt(y, 0)) : fusedMap(RELU_GRADIENT, [g, y]),
  ],
};

/** max(x, 0). */
export const relu = unaryOp("relu", {
  dtypes: "same",
  rule: reluRule,
  // NaN <= 0 is false, so NaN passes through as in PyTorch. (float32 relu has its own
  // branch-free CPU kernel: reluKernel in backend/cpu/elementwise.ts.)
  cpu: "(a <= 0 ? 0 : a)",
  wgsl: byType("select(a, 0.0, a <= 0.0 && !isnan_(a))", "max(a, 0)"),
});

// Its gradient is zero everywhere.
const signRule: GradRule = { savesInputs: true, savesOutput: false, vjp: (g) => [mul(g, 0)] };

/** The sign of x: -1, 0 or 1. */
export const sign = unaryOp("sign", {
  dtypes: "same",
  rule: signRule,
  cpu: "Math.sign(a)",
  wgsl: byType("signf_(a)", "sign(a)"),
});

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

// d/dx erf(x) = 2/√π e^(-x²).
const erfRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [mul(g, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))],
};

/** The error function (CPU: backend/cpu/special.ts; WebGPU: the same fit in wgsl.ts). */
export const erf = unaryOp("erf", {
  dtypes: "float",
  rule: erfRule,
  cpu: "erf(a)",
  wgsl: () => val("erff_(a)"),
});

const log1pRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x] }) => [div(g, add(x, 1))],
};

// WGSL has no log1p, and log(1 + x) loses every digit of a small x. Near zero, log1p(x) is
// 2 atanh(s) with s = x / (2 + x), |s| < 1/3, whose odd series is exact to float32 in nine
// terms; elsewhere log(1 + x) is accurate because the result is not small.
const LOG1P_WGSL = /* wgsl */ `
fn log1pf_(a: f32) -> f32 {
  if (abs(a) >= 0.5 || isnan_(a)) { return logf_(1.0 + a); }
  let s = a / (2.0 + a);
  let z = s * s;
  return 2.0 * s * (1.0 + z * (1.0 / 3.0 + z * (0.2 + z * (1.0 / 7.0 + z * (1.0 / 9.0
    + z * (1.0 / 11.0 + z * (1.0 / 13.0 + z * (1.0 / 15.0 + z / 17.0))))))));
}`;

/** log(1 + x), accurate for small x. */
export const log1p = unaryOp("log1p", {
  dtypes: "float",
  rule: log1pRule,
  cpu: "Math.log1p(a)",
  wgsl: () => val("log1pf_(a)", LOG1P_WGSL),
});

// d/dx (e^x - 1) = e^x = y + 1.
const expm1Rule: GradRule = {
  savesInputs: false,
  savesOutput: true,
  vjp: (g, { output: y }) => [mul(g, add(y, 1))],
};

// e^x - 1 cancels for small x: there the Taylor series (ten terms for |x| < 0.5) is exact to
// float32; elsewhere e^x - 1 has no cancellation worth the name.
const EXPM1_WGSL = /* wgsl */ `
fn expm1f_(a: f32) -> f32 {
  if (abs(a) >= 0.5 || isnan_(a)) { return expf_(a) - 1.0; }
  return a * (1.0 + a / 2.0 * (1.0 + a / 3.0 * (1.0 + a / 4.0 * (1.0 + a / 5.0 * (1.0 + a / 6.0
    * (1.0 + a / 7.0 * (1.0 + a / 8.0 * (1.0 + a / 9.0 * (1.0 + a / 10.0)))))))));
}`;

/** e^x - 1, accurate for small x. */
export const expm1 = unaryOp("expm1", {
  dtypes: "float",
  rule: expm1Rule,
  cpu: "Math.expm1(a)",
  wgsl: () => val("expm1f_(a)", EXPM1_WGSL),
});
