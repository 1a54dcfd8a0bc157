// Elementwise ops: forward against float64 loops, gradients against finite differences, on
// broadcast, strided, scalar and empty inputs; function and method forms.
import { describe } from "vitest";
import * as dl from "../../src/index.js";
import { erf, map, zip } from "../helpers/ref.js";
import { opTest, type InputSpec } from "../helpers/check-op.js";

const UNARY: InputSpec[][] = [[[3, 4]], [[2, 3, 5]], [[]], [[0, 3]], [[7]]];
const BINARY: InputSpec[][] = [
  [
    [3, 4],
    [3, 4],
  ],
  [
    [3, 1],
    [1, 4],
  ],
  [[2, 3, 4], [4]],
  [[], [2, 3]],
  [[5], []],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [
    [0, 3],
    [1, 3],
  ],
];

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number, beta = 1) => Math.log1p(Math.exp(beta * v)) / beta;
const gelu = (v: number) => 0.5 * v * (1 + erf(v / Math.SQRT2));
const geluTanh = (v: number) =>
  0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));

describe("unary elementwise", () => {
  const unary = (
    name: string,
    fn: (x: dl.Tensor) => dl.Tensor,
    method: (x: dl.Tensor) => dl.Tensor,
    f: (v: number) => number,
    range: { low?: number; high?: number } = {},
  ) => opTest(name, { fn, method, ref: (a) => map(a, f), cases: UNARY, ...range });

  unary(
    "neg",
    dl.neg,
    (x) => x.neg(),
    (v) => -v,
  );
  unary("abs", dl.abs, (x) => x.abs(), Math.abs);
  unary("exp", dl.exp, (x) => x.exp(), Math.exp);
  unary("log", dl.log, (x) => x.log(), Math.log, { low: 0.1, high: 4 });
  unary("sqrt", dl.sqrt, (x) => x.sqrt(), Math.sqrt, { low: 0.1, high: 4 });
  unary(
    "rsqrt",
    dl.rsqrt,
    (x) => x.rsqrt(),
    (v) => 1 / Math.sqrt(v),
    { low: 0.2, high: 4 },
  );
  unary(
    "square",
    dl.square,
    (x) => x.square(),
    (v) => v * v,
  );
  unary(
    "reciprocal",
    dl.reciprocal,
    (x) => x.reciprocal(),
    (v) => 1 / v,
    { low: 0.3, high: 3 },
  );
  unary("sin", dl.sin, (x) => x.sin(), Math.sin, { low: -4, high: 4 });
  unary("cos", dl.cos, (x) => x.cos(), Math.cos, { low: -4, high: 4 });
  unary("tanh", dl.tanh, (x) => x.tanh(), Math.tanh);
  unary("log10", dl.log10, (x) => x.log10(), Math.log10, { low: 0.1, high: 4 });
  unary("log2", dl.log2, (x) => x.log2(), Math.log2, { low: 0.1, high: 4 });
  unary("log1p", dl.log1p, (x) => x.log1p(), Math.log1p, { low: -0.9, high: 3 });
  unary("expm1", dl.expm1, (x) => x.expm1(), Math.expm1, { low: -3, high: 3 });
  unary("log1p of tiny x", dl.log1p, (x) => x.log1p(), Math.log1p, { low: -1e-5, high: 1e-5 });
  unary("expm1 of tiny x", dl.expm1, (x) => x.expm1(), Math.expm1, { low: -1e-5, high: 1e-5 });
  unary("sigmoid", dl.sigmoid, (x) => x.sigmoid(), sigmoid, { low: -5, high: 5 });
  unary(
    "relu",
    dl.relu,
    (x) => x.relu(),
    (v) => Math.max(v, 0),
  );
  unary("erf", dl.erf, (x) => x.erf(), erf);
  unary(
    "silu",
    dl.silu,
    (x) => x.silu(),
    (v) => v * sigmoid(v),
    { low: -4, high: 4 },
  );
  unary("gelu", dl.gelu, (x) => x.gelu(), gelu, { low: -3, high: 3 });
  unary(
    "gelu tanh",
    (x) => dl.gelu(x, "tanh"),
    (x) => x.gelu("tanh"),
    geluTanh,
  );
  unary(
    "leakyRelu",
    dl.leakyRelu,
    (x) => x.leakyRelu(),
    (v) => (v > 0 ? v : 0.01 * v),
  );
  unary(
    "leakyRelu slope",
    (x) => dl.leakyRelu(x, 0.2),
    (x) => x.leakyRelu(0.2),
    (v) => (v > 0 ? v : 0.2 * v),
  );
  // A tensor slope is PReLU's: its gradient (x where x <= 0) is checked too, per channel and
  // as a learnable scalar.
  opTest("leakyRelu with a tensor slope", {
    fn: (x, s) => dl.leakyRelu(x, s),
    method: (x, s) => x.leakyRelu(s),
    ref: (x, s) => zip((v, k) => (v > 0 ? v : k * v), x, s),
    cases: [
      [[3, 4], { shape: [4], low: 0, high: 0.5 }],
      [[2, 3, 5], { shape: [], low: 0, high: 0.5 }],
    ],
  });
  unary(
    "elu",
    dl.elu,
    (x) => x.elu(),
    (v) => (v > 0 ? v : Math.expm1(v)),
    { low: -3, high: 3 },
  );
  unary(
    "elu alpha",
    (x) => dl.elu(x, 0.5),
    (x) => x.elu(0.5),
    (v) => (v > 0 ? v : 0.5 * Math.expm1(v)),
  );
  unary("softplus", dl.softplus, (x) => x.softplus(), softplus, { low: -6, high: 6 });
  unary(
    "softplus beta",
    (x) => dl.softplus(x, 2),
    (x) => x.softplus(2),
    (v) => softplus(v, 2),
  );
  unary("sign", dl.sign, (x) => x.sign(), Math.sign);
  unary(
    "clamp both",
    (x) => dl.clamp(x, -0.5, 0.7),
    (x) => x.clamp(-0.5, 0.7),
    (v) => Math.min(Math.max(v, -0.5), 0.7),
  );
  unary(
    "clamp min only",
    (x) => dl.clamp(x, -0.5),
    (x) => x.clamp(-0.5),
    (v) => Math.max(v, -0.5),
  );
  unary(
    "clamp max only",
    (x) => dl.clamp(x, null, 0.3),
    (x) => x.clamp(null, 0.3),
    (v) => Math.min(v, 0.3),
  );
});

describe("binary elementwise with broadcasting", () => {
  const binary = (
    name: string,
    fn: (a: dl.Tensor, b: dl.Tensor) => dl.Tensor,
    method: (a: dl.Tensor, b: dl.Tensor) => dl.Tensor,
    f: (a: number, b: number) => number,
    extra: { low?: number; high?: number; cases?: InputSpec[][] } = {},
  ) =>
    opTest(name, {
      fn,
      method,
      ref: (a, b) => zip(f, a, b),
      cases: extra.cases ?? BINARY,
      low: extra.low,
      high: extra.high,
    });

  binary(
    "add",
    dl.add,
    (a, b) => a.add(b),
    (a, b) => a + b,
  );
  binary(
    "sub",
    dl.sub,
    (a, b) => a.sub(b),
    (a, b) => a - b,
  );
  binary(
    "mul",
    dl.mul,
    (a, b) => a.mul(b),
    (a, b) => a * b,
  );
  binary(
    "div",
    dl.div,
    (a, b) => a.div(b),
    (a, b) => a / b,
    { low: 0.3, high: 3 },
  );
  binary(
    "pow",
    dl.pow,
    (a, b) => a.pow(b),
    (a, b) => a ** b,
    { low: 0.3, high: 2 },
  );
  binary("maximum", dl.maximum, (a, b) => a.maximum(b), Math.max);
  binary("minimum", dl.minimum, (a, b) => a.minimum(b), Math.min);
  binary(
    "clamp by tensors",
    (x, lo) => dl.clamp(x, lo, dl.add(lo, 1)),
    (x, lo) => x.clamp(lo, lo.add(1)),
    (v, lo) => Math.min(Math.max(v, lo), lo + 1),
  );
});

describe("numbers where tensors go", () => {
  const cases: InputSpec[][] = [[[3, 4]], [[]], [[0, 2]]];
  const withNumber = (
    name: string,
    fn: (x: dl.Tensor) => dl.Tensor,
    method: (x: dl.Tensor) => dl.Tensor,
    f: (v: number) => number,
    range: { low?: number; high?: number } = {},
  ) => opTest(name, { fn, method, ref: (a) => map(a, f), cases, ...range });

  withNumber(
    "add number",
    (x) => dl.add(x, 2.5),
    (x) => x.add(2.5),
    (v) => v + 2.5,
  );
  opTest("number sub tensor", { fn: (x) => dl.sub(3, x), ref: (a) => map(a, (v) => 3 - v), cases });
  withNumber(
    "mul int number",
    (x) => dl.mul(x, 3),
    (x) => x.mul(3),
    (v) => 3 * v,
  );
  opTest("number div tensor", {
    fn: (x) => dl.div(2, x),
    ref: (a) => map(a, (v) => 2 / v),
    cases,
    low: 0.5,
    high: 2,
  });
  withNumber(
    "pow number",
    (x) => dl.pow(x, 3),
    (x) => x.pow(3),
    (v) => v ** 3,
  );
  withNumber(
    "pow half",
    (x) => dl.pow(x, 0.5),
    (x) => x.pow(0.5),
    Math.sqrt,
    { low: 0.2 },
  );
  opTest("number pow tensor", {
    fn: (x) => dl.pow(2, x),
    ref: (a) => map(a, (v) => 2 ** v),
    cases,
  });
  withNumber(
    "maximum number",
    (x) => dl.maximum(x, 0.1),
    (x) => x.maximum(0.1),
    (v) => Math.max(v, 0.1),
  );
  withNumber(
    "minimum number",
    (x) => dl.minimum(x, 0.1),
    (x) => x.minimum(0.1),
    (v) => Math.min(v, 0.1),
  );
});
