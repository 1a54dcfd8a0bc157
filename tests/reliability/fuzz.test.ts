// Seeded fuzz against float64 references: random shapes (size-0 dims, 0-d scalars, broadcast
// pairs) for elementwise, reduction, softmax-family and matmul ops, each input given both
// contiguous and as a non-contiguous strided view. A few hundred cases, well under a minute.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import * as ref from "../helpers/ref.js";
import { assertClose, contiguousTensor, stridedTensor } from "../helpers/check-op.js";

const SEED = 20261204;
const r = ref.rng(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** A random shape: 0-4 dims of size 0-4 (size 0 one time in six). */
function randomShape(): number[] {
  return Array.from({ length: int(0, 4) }, () => (r() < 1 / 6 ? 0 : int(1, 4)));
}

/** A shape that broadcasts against `s`: some dims dropped from the front, some set to 1. */
function broadcastPartner(s: readonly number[]): number[] {
  const drop = int(0, s.length);
  return s.slice(drop).map((d) => (r() < 0.3 ? 1 : d));
}

function randomArr(shape: readonly number[], lo = -3, hi = 3): ref.Arr {
  return ref.arr(
    shape,
    Array.from({ length: ref.sizeOf(shape) }, () => Math.fround(lo + (hi - lo) * r())),
  );
}

const asTensor = (a: ref.Arr): dl.Tensor => (r() < 0.5 ? stridedTensor(a) : contiguousTensor(a));

function expectClose(got: dl.Tensor, want: ref.Arr, what: string, tol = 1e-5): void {
  expect(got.shape, what).toEqual(want.shape);
  assertClose(got.dataSync(), want.data, tol, tol * 10, what);
}

const UNARY: [string, (x: dl.Tensor) => dl.Tensor, (v: number) => number, [number, number]][] = [
  ["exp", (x) => x.exp(), Math.exp, [-3, 3]],
  ["log", (x) => x.log(), Math.log, [0.01, 5]],
  ["sqrt", (x) => x.sqrt(), Math.sqrt, [0, 5]],
  ["abs", (x) => x.abs(), Math.abs, [-3, 3]],
  ["neg", (x) => x.neg(), (v) => -v, [-3, 3]],
  ["tanh", (x) => x.tanh(), Math.tanh, [-3, 3]],
  ["sigmoid", (x) => x.sigmoid(), (v) => 1 / (1 + Math.exp(-v)), [-5, 5]],
  ["relu", (x) => x.relu(), (v) => Math.max(0, v), [-3, 3]],
  ["sin", (x) => x.sin(), Math.sin, [-3, 3]],
  ["cos", (x) => x.cos(), Math.cos, [-3, 3]],
];

const BINARY: [
  string,
  (a: dl.Tensor, b: dl.Tensor) => dl.Tensor,
  (x: number, y: number) => number,
][] = [
  ["add", dl.add, (x, y) => x + y],
  ["sub", dl.sub, (x, y) => x - y],
  ["mul", dl.mul, (x, y) => x * y],
  ["div", dl.div, (x, y) => x / y],
  ["maximum", dl.maximum, Math.max],
  ["minimum", dl.minimum, Math.min],
];

const REDUCE: [
  string,
  (x: dl.Tensor, d: number, k: boolean) => dl.Tensor,
  (v: number[]) => number,
][] = [
  ["sum", (x, d, k) => x.sum(d, k), (v) => v.reduce((a, b) => a + b, 0)],
  ["mean", (x, d, k) => x.mean(d, k), (v) => v.reduce((a, b) => a + b, 0) / v.length],
  ["prod", (x, d, k) => x.prod(d, k), (v) => v.reduce((a, b) => a * b, 1)],
  [
    "logsumexp",
    (x, d, k) => x.logsumexp(d, k),
    (v) => Math.log(v.reduce((a, b) => a + Math.exp(b), 0)),
  ],
];

describe(`seeded fuzz (seed ${SEED}) against float64 references`, () => {
  it("unary ops: 200 random shapes, contiguous and strided", () => {
    for (let i = 0; i < 200; i++) {
      const [name, op, f, [lo, hi]] = pick(UNARY);
      const a = randomArr(randomShape(), lo, hi);
      expectClose(op(asTensor(a)), ref.map(a, f), `${name} ${JSON.stringify(a.shape)}`);
    }
  });

  it("binary ops with broadcasting: 200 random pairs", () => {
    for (let i = 0; i < 200; i++) {
      const [name, op, f] = pick(BINARY);
      const sa = randomShape();
      const sb = broadcastPartner(sa);
      const [x, y] = r() < 0.5 ? [sa, sb] : [sb, sa];
      const a = randomArr(x);
      const b = name === "div" ? randomArr(y, 0.5, 3) : randomArr(y);
      const what = `${name} ${JSON.stringify(x)} ${JSON.stringify(y)}`;
      expectClose(op(asTensor(a), asTensor(b)), ref.zip(f, a, b), what);
    }
  });

  it("reductions over a random dim, keepdim or not: 200 cases (size-0 dims included)", () => {
    for (let i = 0; i < 200; i++) {
      const [name, op, f] = pick(REDUCE);
      const shape = randomShape();
      if (shape.length === 0) shape.push(int(0, 3));
      const a = randomArr(shape, name === "prod" ? 0.5 : -3, name === "prod" ? 1.5 : 3);
      const d = int(-shape.length, shape.length - 1);
      const keep = r() < 0.5;
      const what = `${name} ${JSON.stringify(shape)} dim ${d} keepdim ${keep}`;
      expectClose(op(asTensor(a), d, keep), ref.reduce(a, d, keep, f), what, 1e-4);
    }
  });

  it("softmax and logSoftmax: 100 cases, a zero-size dim gives an empty result", () => {
    for (let i = 0; i < 100; i++) {
      const shape = randomShape();
      if (shape.length === 0) shape.push(int(0, 3));
      const a = randomArr(shape);
      const d = int(0, shape.length - 1);
      const log = r() < 0.5;
      const lse = ref.reduce(a, d, true, (v) => Math.log(v.reduce((s, x) => s + Math.exp(x), 0)));
      const want = ref.zip((x, l) => (log ? x - l : Math.exp(x - l)), a, lse);
      const got = log ? asTensor(a).logSoftmax(d) : asTensor(a).softmax(d);
      expectClose(got, want, `${log ? "logSoftmax" : "softmax"} ${JSON.stringify(shape)} dim ${d}`);
    }
  });

  it("matmul: 60 random [m, k] x [k, n] with size-0 sizes, strided inputs", () => {
    for (let i = 0; i < 60; i++) {
      const [m, k, n] = [int(0, 5), int(0, 5), int(0, 5)];
      const a = randomArr([m, k]);
      const b = randomArr([k, n]);
      expectClose(
        dl.matmul(asTensor(a), asTensor(b)),
        ref.matmul2d(a, b),
        `matmul ${m}x${k}x${n}`,
        1e-4,
      );
    }
  });

  it("0-d scalars mix with every shape", () => {
    for (let i = 0; i < 40; i++) {
      const [name, op, f] = pick(BINARY);
      const a = randomArr(randomShape());
      const s = randomArr([], 0.5, 2);
      expectClose(op(asTensor(a), contiguousTensor(s)), ref.zip(f, a, s), `${name} with a scalar`);
    }
  });
});
