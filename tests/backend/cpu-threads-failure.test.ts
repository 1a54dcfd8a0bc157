// A worker that dies takes the thread pool down; products then run on the calling thread
// alone and dl.backendInfo() says why. (Its own file: the pool stays down for the process.)
import { expect, it } from "vitest";
import { lastGemm, wasmGemm } from "../../src/backend/cpu/wasm/gemm.js";
import { gemmRuntime } from "../../src/backend/cpu/wasm/runtime.js";
import { threadSettings } from "../../src/backend/cpu/wasm/settings.js";
import { poolWorkers, workersReady } from "../../src/backend/cpu/wasm/workers.js";
import * as dl from "../../src/index.js";

// These tests exercise the WebAssembly kernels and their worker pool (the native path has
// tests/backend/cpu-native.test.ts); native.ts reads this on first use.
process.env.DENDRITE_CPU_KERNEL = "wasm";

function square(n: number) {
  const ws = wasmGemm(n, n, n)!;
  ws.A.fill(1);
  ws.B.fill(2);
  ws.run();
  return ws.C;
}

it("falls back to one thread when a worker exits", async () => {
  Object.assign(threadSettings, { minParallelMacs: 0, callerClaims: false });
  dl.setNumThreads(3);
  expect(await workersReady(gemmRuntime()!, 3)).toBe(2);
  expect(square(96).every((v) => v === 192)).toBe(true);
  expect([lastGemm.threads, lastGemm.workerChunks]).toEqual([3, lastGemm.chunks]);

  await poolWorkers()[1].terminate(); // as if the thread crashed
  for (let i = 0; i < 200 && dl.backendInfo().threadsAvailable; i++)
    await new Promise((r) => setTimeout(r, 5));
  const info = dl.backendInfo();
  expect(info.threadsAvailable).toBe(false);
  expect(info.reason).toMatch(/worker 2 exited/);
  expect(info.threadsRunning).toBe(1);
  expect(info.threads).toBe(3); // the setting is kept

  expect(square(96).every((v) => v === 192)).toBe(true);
  expect(lastGemm).toEqual({ threads: 1, chunks: 1, workerChunks: 0 });
});
