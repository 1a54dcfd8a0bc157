import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { wasmGemm } from "../../src/backend/cpu/wasm/gemm.js";
import { gemm } from "../../src/backend/cpu/matmul.js";
import * as dl from "../../src/index.js";
// @ts-expect-error plain ESM script without types
import { buildModule, findClang } from "../../scripts/build-wasm.mjs";

function naive(a: Float64Array, b: Float64Array, M: number, K: number, N: number): Float64Array {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k] * b[k * N + j];
      c[i * N + j] = s;
    }
  return c;
}

function seeded(n: number, seed: number): Float64Array {
  let x = seed;
  return Float64Array.from(
    { length: n },
    () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5,
  );
}

// Shapes around the micro-kernel (4x8), panel (256) and packed-rows (1020) edges.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [5, 9, 17],
  [33, 257, 31],
  [64, 300, 260],
  [1030, 40, 20], // past GEMM_A_ROWS (1020) rows: A packed in two blocks
];

describe("CPU GEMM kernels", () => {
  it.each(SHAPES)("wasm SIMD GEMM %i x %i x %i matches a float64 loop", (M, K, N) => {
    const a = seeded(M * K, M + K);
    const b = seeded(K * N, K + N);
    const ws = wasmGemm(M, K, N)!;
    expect(ws).not.toBeNull(); // Node 20 has WebAssembly SIMD
    ws.A.set(a);
    ws.B.set(b);
    ws.C.fill(123); // run() must clear it
    ws.run();
    const ref = naive(
      Float64Array.from(Float32Array.from(a)),
      Float64Array.from(Float32Array.from(b)),
      M,
      K,
      N,
    );
    ref.forEach((v, i) => expect(Math.abs(ws.C[i] - v)).toBeLessThan(1e-5 * Math.max(1, K)));
  });

  it.each(SHAPES)("TypeScript fallback GEMM %i x %i x %i matches a float64 loop", (M, K, N) => {
    const a = Float32Array.from(seeded(M * K, 1 + M));
    const b = Float32Array.from(seeded(K * N, 2 + N));
    const c = new Float32Array(M * N + 3);
    gemm(a, b, c, 3, M, K, N);
    const ref = naive(Float64Array.from(a), Float64Array.from(b), M, K, N);
    ref.forEach((v, i) => expect(Math.abs(c[3 + i] - v)).toBeLessThan(1e-5 * Math.max(1, K)));
  });

  it("batched matmul with transposed and broadcast operands uses the same results", () => {
    dl.manualSeed(5);
    const a = dl.randn([2, 1, 6, 5]);
    const b = dl.randn([3, 7, 5]).transpose(1, 2); // non-contiguous [3, 5, 7]
    const c = dl.matmul(a, b);
    expect(c.shape).toEqual([2, 3, 6, 7]);
    const av = a.toArraySync() as number[][][][];
    const bv = b.toArraySync() as number[][][];
    const cv = c.toArraySync() as number[][][][];
    let s = 0;
    for (let k = 0; k < 5; k++) s += av[1][0][4][k] * bv[2][k][6];
    expect(cv[1][2][4][6]).toBeCloseTo(s, 5);
  });

  const cc = findClang();
  it.skipIf(!cc)("the committed WebAssembly module is the build of gemm.c", () => {
    const committed = readFileSync(
      join(__dirname, "../../src/backend/cpu/wasm/generated/gemm-wasm.ts"),
      "utf8",
    );
    expect(buildModule(cc)).toBe(committed);
  });
});
