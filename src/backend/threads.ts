// dl.setNumThreads / dl.getNumThreads (as torch.set_num_threads) and dl.backendInfo: how many
// threads the CPU kernels use and which kernel path runs here. Today the threaded kernel is
// the GEMM (matmul, Linear, convolution through im2col, the RNN cells' products).
import { fail } from "../tensor/errors.js";
import { settleOpenJob } from "./cpu/wasm/gemm.js";
import { gemmRuntime, MAX_THREADS, noThreadsReason } from "./cpu/wasm/runtime.js";
import { threadSettings } from "./cpu/wasm/settings.js";
import { readyWorkers, stopWorkers, workersUnavailable } from "./cpu/wasm/workers.js";

/**
 * Sets how many threads the CPU kernels use, the calling thread included (default: the
 * machine's cores, at most 16). Workers start when a product is large enough to split; with
 * n = 1 they stop. Where threads are unavailable (a browser page without cross-origin
 * isolation) the setting is kept and everything runs on the calling thread; dl.backendInfo()
 * says so.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS)
    fail("setNumThreads", `expected an integer from 1 to ${MAX_THREADS}, got ${String(n)}`);
  threadSettings.threads = n;
  const rt = gemmRuntime();
  if (rt) settleOpenJob(rt); // no worker is stopped inside an interrupted product
  stopWorkers(n - 1);
}

/** The thread count set by dl.setNumThreads (or its default). */
export function getNumThreads(): number {
  return threadSettings.threads;
}

/** What dl.backendInfo() reports about the CPU backend's kernels and threads. */
export interface BackendInfo {
  /** The backend described (the CPU; WebGPU's adapter is in dl.devices()). */
  device: "cpu";
  /**
   * The GEMM kernel in use: "wasm-simd" (WebAssembly SIMD128) or "scalar" (the TypeScript
   * loop, where the engine lacks WebAssembly SIMD).
   */
  kernel: "wasm-simd" | "scalar";
  /** dl.getNumThreads(). */
  threads: number;
  /** Threads running now (workers started so far, plus the calling thread). */
  threadsRunning: number;
  /** Whether worker threads can run here (shared WebAssembly memory and Workers). */
  threadsAvailable: boolean;
  /** Why not, when threadsAvailable is false. */
  reason?: string;
}

/**
 * Which CPU kernel path and how many threads are in use.
 *
 * @example
 * ```ts
 * dl.setNumThreads(2);
 * const info = dl.backendInfo(); // { device: "cpu", kernel: "wasm-simd", threads: 2, ... }
 * if (!info.threadsAvailable) console.log(`one thread: ${info.reason}`);
 * ```
 */
export function backendInfo(): BackendInfo {
  const rt = gemmRuntime();
  const why = rt ? workersUnavailable(rt) : "WebAssembly SIMD is unavailable";
  const unavailable = rt && !rt.shared ? noThreadsReason || why : why;

  return {
    device: "cpu",
    kernel: rt ? "wasm-simd" : "scalar",
    threads: threadSettings.threads,
    threadsRunning: rt && !unavailable ? 1 + readyWorkers(rt) : 1,
    threadsAvailable: !unavailable,
    ...(unavailable ? { reason: unavailable } : {}),
  };
}
