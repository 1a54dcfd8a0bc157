// Every primitive on WebGPU against the CPU backend: values and gradients, on contiguous,
// broadcast, strided (transposed, stepped, flipped) and empty inputs, with NaN, infinities
// and signed zeros where the semantics are delicate.
import { beforeAll, describe, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { checkOnGpu, gpuAvailable, uniform, values } from "./gpu.js";
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from "../../src/ops/names.js";
import { PRIMITIVES } from "../../src/ops/table.js";

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 1e-3, -7.25];
// Every float unary primitive (logicalNot, on bools, is checked with the logical ops), taken
// from the primitive list so a new one is checked on the GPU without editing this file.
const UNARY = UNARY_OPS.filter((op): op is Exclude<UnaryOp, "logicalNot"> => op !== "logicalNot");
// The binary lists too come from the table, by each row's dtype rule.
const binaryOf = (...kinds: string[]) =>
  BINARY_OPS.filter((op) => kinds.includes(PRIMITIVES[op].primitive.dtypes));
const BINARY = binaryOf("arith", "float") as Exclude<BinaryOp, "logicalAnd" | "logicalOr">[];
const COMPARE = binaryOf("compare") as Exclude<BinaryOp, "logicalAnd" | "logicalOr">[];

const strided = (x: Tensor) => x.T.flip(0).slice("::2");

describe.skipIf(!gpuAvailable)("webgpu elementwise ops match the CPU", () => {
  beforeAll(() => dl.manualSeed(1));
  for (const op of UNARY) {
    it(op, async () => {
      const f = (x: Tensor) => dl[op](x);
      const positive = op === "log" || op === "sqrt";
      await checkOnGpu(`${op} contiguous`, f, [uniform([3, 4], positive ? 0.1 : -3, 3)]);
      await checkOnGpu(`${op} strided`, (x) => f(strided(x)), [uniform([6, 5], 0.2, 2)]);
      await checkOnGpu(`${op} scalar`, f, [values([], [0.75])]);
      await checkOnGpu(`${op} empty`, f, [uniform([0, 3])]);
      await checkOnGpu(`${op} special`, f, [values([12], SPECIAL)], { grad: false });
    });
  }
  it("log1p and expm1 keep every digit of tiny inputs", async () => {
    // log(1 + x) and exp(x) - 1 computed naively lose them (relative error near 1 at 1e-7).
    const tiny = values([8], [1e-7, -3e-6, 1e-4, -2e-3, 0.3, -0.3, 0.49, -0.49]);
    for (const op of ["log1p", "expm1"] as const)
      await checkOnGpu(`${op} tiny`, (x) => dl[op](x), [tiny], {
        grad: false,
        rtol: 2e-6,
        atol: 0,
      });
  });
  it("unary ops on int32 (neg, abs, sign, relu) and logicalNot", async () => {
    const ints = values([6], [-3, 0, 5, -2147483647, 7, 1], "int32");
    for (const op of ["neg", "abs", "sign", "relu"] as const)
      await checkOnGpu(`${op} int32`, (x) => dl[op](x), [ints]);
    await checkOnGpu("logicalNot", (x) => dl.logicalNot(x), [values([4], [0, 1, 1, 0], "bool")]);
    await checkOnGpu("sqrt of int32 promotes", (x) => dl.sqrt(x), [
      values([3], [4, 9, 2], "int32"),
    ]);
  });
  for (const op of BINARY) {
    it(op, async () => {
      const f = (a: Tensor, b: Tensor) => dl[op](a, b);
      const [lo, hi] = op === "pow" ? [0.2, 2] : [-2, 2];
      await checkOnGpu(`${op} same shape`, f, [uniform([3, 4], lo, hi), uniform([3, 4], -2, 2)]);
      await checkOnGpu(`${op} broadcast`, f, [uniform([3, 1], lo, hi), uniform([1, 4], -2, 2)]);
      await checkOnGpu(`${op} strided`, (a, b) => f(strided(a), b), [
        uniform([6, 5], lo, hi),
        uniform([3, 6], -2, 2),
      ]);
      await checkOnGpu(`${op} with a number`, (a) => dl[op](a, 1.5), [uniform([2, 3, 4], lo, hi)]);
      await checkOnGpu(
        `${op} special`,
        f,
        [values([12], SPECIAL), values([12], [...SPECIAL].reverse())],
        {
          grad: false,
        },
      );
      const ints = [
        values([2, 3], [-3, 0, 5, 2, 7, -1], "int32"),
        values([3], [2, 3, -2], "int32"),
      ];
      if (op !== "div") await checkOnGpu(`${op} int32`, f, ints);
      else await checkOnGpu("div int32 is true division", f, ints);
    });
  }
  it("pow with negative bases, integer exponents and zero", async () => {
    const a = values([8], [-2, -2, -0.5, 0, 0, -3, 2, NaN]);
    const b = values([8], [3, 0.5, -2, -1, 0, 2, -1, 0]);
    await checkOnGpu("pow edge cases", (x, y) => dl.pow(x, y), [a, b], { grad: false });
  });
  for (const op of COMPARE) {
    it(op, async () => {
      const f = (a: Tensor, b: Tensor) => dl[op](a, b);
      const a = values([2, 4], [1, 2, NaN, -0, 3, 3, Infinity, -1]);
      const b = values([4], [1, NaN, NaN, 0]);
      await checkOnGpu(`${op} float`, f, [a, b]);
      const ints = values([5], [1, -2, 3, 0, 9], "int32");
      await checkOnGpu(`${op} int32`, f, [ints, values([1], [1], "int32")]);
      const bools = [values([4], [0, 1, 1, 0], "bool"), values([4], [0, 0, 1, 1], "bool")];
      await checkOnGpu(`${op} bool`, f, bools);
    });
  }
  it("logicalAnd and logicalOr, also on floats", async () => {
    const a = values([4], [0, 1, 1, 0], "bool");
    const b = values([4], [0, 0, 1, 1], "bool");
    await checkOnGpu("logicalAnd", (x, y) => dl.logicalAnd(x, y), [a, b]);
    await checkOnGpu("logicalOr", (x, y) => dl.logicalOr(x, y), [a, b]);
    await checkOnGpu("logicalOr floats", (x, y) => dl.logicalOr(x, y), [
      values([3], [0, NaN, 2]),
      values([3], [0, 0, 0]),
    ]);
  });
  it("where broadcasts and routes gradients", async () => {
    const c = values([3, 1], [1, 0, 1], "bool");
    await checkOnGpu("where", (k, x, y) => dl.where(k, x, y), [
      c,
      uniform([1, 4]),
      uniform([3, 4]),
    ]);
    await checkOnGpu("where with numbers", (k, x) => dl.where(k, x, 0), [c, uniform([3, 4])]);
  });
  it("cast between every dtype pair, with the CPU's rules", async () => {
    const f = values([10], [NaN, Infinity, -Infinity, -0, 2.7, -2.7, 3e9, -3e9, 0.25, 1]);
    const i = values([4], [0, -5, 2147483647, 7], "int32");
    const b = values([3], [0, 1, 1], "bool");
    for (const [x, to] of [
      [f, "int32"],
      [f, "bool"],
      [i, "float32"],
      [i, "bool"],
      [b, "float32"],
      [b, "int32"],
    ] as const)
      await checkOnGpu(`cast ${x.dtype} to ${to}`, (t) => t.cast(to), [x], { grad: false });
  });
  it("copy (contiguous) of flipped, stepped and transposed views", async () => {
    await checkOnGpu(
      "contiguous",
      (x) => x.permute([2, 0, 1]).flip([1]).slice(":, ::-2").contiguous(),
      [uniform([4, 5, 6])],
    );
  });
});
