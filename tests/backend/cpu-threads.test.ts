import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gemmWorkspace, lastGemm, wasmGemm } from "../../src/backend/cpu/wasm/gemm.js";
import { gemmRuntime, singleThreadRuntime } from "../../src/backend/cpu/wasm/runtime.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { workersReady } from "../../src/backend/cpu/wasm/workers.js";
import * as dl from "../../src/index.js";
import { runInNewContext } from "node:vm";

// These tests exercise the WebAssembly kernels and their worker pool (the native path has
// tests/backend/cpu-native.test.ts); native.ts reads this on first use.
process.env.DENDRITE_CPU_KERNEL = "wasm";

/** The float64 product of float32 operands; bt: b holds Bᵀ ([N, K]). */
function naive(a: Float32Array, b: Float32Array, M: number, K: number, N: number, bt: boolean) {
  const c = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += a[i * K + k] * (bt ? b[j * K + k] : b[k * N + j]);
      c[i * N + j] = s;
    }
  return c;
}

function seeded(n: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from(
    { length: n },
    () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5,
  );
}

/** Runs the GEMM on `threads` threads, lifting the size threshold. */
async function product(M: number, K: number, N: number, bt: boolean, threads: number) {
  threadSettings.threads = threads;
  expect(await workersReady(gemmRuntime()!, threads)).toBe(threads - 1);
  const a = seeded(M * K, M + 3 * K);
  const b = seeded(K * N, N + 7 * K);
  const ws = wasmGemm(M, K, N)!;
  ws.A.set(a);
  ws.B.set(b);
  ws.C.fill(123); // overwritten, never accumulated into
  if (bt) ws.runTransposedB();
  else ws.run();
  return { a, b, c: ws.C.slice(), stats: { ...lastGemm } };
}

const saved = { ...threadSettings };
beforeAll(() => Object.assign(threadSettings, { minParallelMacs: 0, callerClaims: false }));
afterAll(() => Object.assign(threadSettings, saved));

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [7, 13, 5],
  [127, 65, 257],
  [33, 300, 18],
  [90, 70, 3], // fewer columns than a strip: dot products (Bᵀ, or B of one column)
  [120, 50, 1],
];

describe("threaded WebAssembly GEMM", () => {
  it("runs on a shared memory in Node", () => {
    expect(gemmRuntime()?.shared).toBe(true);
  });

  for (const bt of [false, true])
    it.each(SHAPES)(
      `%i x %i x %i${bt ? " (B transposed)" : ""} matches float64 at 1, 2, 3 threads`,
      async (M, K, N) => {
        let first: Float32Array | null = null;
        for (const threads of [1, 2, 3]) {
          const { a, b, c, stats } = await product(M, K, N, bt, threads);
          const ref = naive(a, b, M, K, N, bt);
          const worst = ref.reduce((w, v, i) => Math.max(w, Math.abs(c[i] - v)), 0);
          expect(worst).toBeLessThan(1e-5 * Math.max(1, K));
          // With workers, the workers ran every chunk (the calling thread only waited).
          expect(stats.workerChunks).toBe(stats.threads > 1 ? stats.chunks : 0);
          if (M * N >= 64 * 64) expect(stats.threads).toBe(threads);
          if (first) expect(c).toEqual(first); // bitwise: the split never changes the arithmetic
          first = c;
        }
      },
    );

  it("the portable single-thread build (plain memory) gives the same bits", async () => {
    const rt = singleThreadRuntime();
    expect(rt.shared).toBe(false);
    for (const bt of [false, true]) {
      const threaded = await product(127, 65, 257, bt, 3);
      const ws = gemmWorkspace(rt, 127, 65, 257);
      ws.A.set(threaded.a);
      ws.B.set(threaded.b);
      ws.C.fill(123);
      if (bt) ws.runTransposedB();
      else ws.run();
      expect(ws.C).toEqual(threaded.c);
    }
  });

  it("a product interrupted mid-way (as a notebook's SIGINT does) leaves the next one intact", async () => {
    threadSettings.threads = 3;
    await workersReady(gemmRuntime()!, 3);
    const big = wasmGemm(768, 768, 768)!;
    big.A.fill(1);
    big.B.fill(1);
    // vm's timeout stops the caller while the workers are still running chunks.
    expect(() => runInNewContext("run()", { run: () => big.run() }, { timeout: 5 })).toThrow(
      /timed out/,
    );
    // The same operands' memory, at once, with the calling thread claiming chunks too.
    threadSettings.callerClaims = true;
    try {
      const next = wasmGemm(768, 768, 768)!;
      next.A.fill(2);
      next.B.fill(3);
      next.run();
      expect(next.C.every((v) => v === 768 * 6)).toBe(true);
    } finally {
      threadSettings.callerClaims = false;
    }
  });

  it("gives the same result when the calling thread claims chunks too", async () => {
    const byWorkers = await product(130, 70, 300, false, 3);
    threadSettings.callerClaims = true;
    try {
      const shared = await product(130, 70, 300, false, 3);
      expect(shared.stats.chunks).toBeGreaterThan(3);
      expect(shared.c).toEqual(byWorkers.c);
    } finally {
      threadSettings.callerClaims = false;
    }
  });

  it("a Linear layer's forward and backward are bitwise the same at 1 and 3 threads", async () => {
    const run = async (threads: number) => {
      dl.setNumThreads(threads);
      await workersReady(gemmRuntime()!, threads);
      dl.manualSeed(11);
      const layer = new dl.nn.Linear(300, 200);
      const x = dl.randn([64, 300]).requiresGrad_();
      const y = layer.forward(x);
      y.square().sum().backward();
      const ran = lastGemm.threads;
      const values = [y, x.grad!, layer.weight.grad!, layer.bias!.grad!].map((t) => t.dataSync());
      return { ran, values };
    };
    const one = await run(1);
    const three = await run(3);
    expect([one.ran, three.ran]).toEqual([1, 3]);
    three.values.forEach((v, i) => expect(v).toEqual(one.values[i]));
  });
});

describe("dl.setNumThreads / dl.getNumThreads / dl.backendInfo", () => {
  it("sets and reports the thread count; backendInfo names the kernel path", async () => {
    dl.setNumThreads(2);
    expect(dl.getNumThreads()).toBe(2);
    await workersReady(gemmRuntime()!, 2);
    expect(dl.backendInfo()).toEqual({
      device: "cpu",
      kernel: "wasm-simd",
      threads: 2,
      threadsRunning: 2,
      threadsAvailable: true,
      nativeUnavailable: expect.stringMatching(/DENDRITE_CPU_KERNEL=wasm/),
    });
    dl.setNumThreads(1);
    expect(dl.backendInfo().threadsRunning).toBe(1);
  });

  it.each([0, -1, 1.5, NaN, 65, "2"])("rejects %s with a DendriteError naming the op", (n) => {
    expect(() => dl.setNumThreads(n as number)).toThrow(dl.DendriteError);
    expect(() => dl.setNumThreads(n as number)).toThrow(
      /^setNumThreads: expected an integer from 1 to 64, got/,
    );
  });
});
