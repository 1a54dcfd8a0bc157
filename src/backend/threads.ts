// dl.setNumThreads / dl.getNumThreads (as torch.set_num_threads) and dl.backendInfo: how many
// threads the CPU kernels use and which kernel path runs here. The threaded kernels are the
// GEMM (matmul, Linear, convolution, the RNN cells' products) and, on the native path,
// im2col/col2im. The native path (cpu/native: an AVX2+FMA addon on a pthread pool) serves
// where it was built; else the WebAssembly kernels on worker_threads / Web Workers.
import { fail } from "../tensor/errors.js";
import { settleOpenJob } from "./cpu/wasm/gemm.js";
import { gemmRuntime, MAX_THREADS, noThreadsReason } from "./cpu/wasm/runtime.js";
import { threadSettings } from "./cpu/wasm/settings.js";
import { readyWorkers, stopWorkers, workersUnavailable } from "./cpu/wasm/workers.js";
import { nativeKernels, nativeUnavailable } from "./cpu/native/native.js";

/**
 * Sets how many threads the CPU kernels use, the calling thread included (default: the
 * machine's cores, at most 16). Workers start when a product is large enough to split; with
 * n = 1 the WebAssembly workers stop (the native kernels' threads stay asleep, unused). Where
 * threads are unavailable (a browser page without cross-origin isolation) the setting is kept
 * and everything runs on the calling thread; dl.backendInfo() says so.
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
   * The GEMM and convolution kernel in use: "native-avx2" (the Node addon built at install
   * time, AVX2+FMA, on a pthread pool), "wasm-simd" (WebAssembly SIMD128, the portable floor)
   * or "scalar" (the TypeScript loop, where the engine lacks WebAssembly SIMD).
   */
  kernel: "native-avx2" | "wasm-simd" | "scalar";
  /** Why the native kernels are not in use, when they are not (e.g. DENDRITE_CPU_KERNEL=wasm). */
  nativeUnavailable?: string;
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
  const nk = nativeKernels();
  if (nk) {
    const threads = threadSettings.threads;
    const running = 1 + Math.min(nk.workers(), threads - 1);
    return {
      device: "cpu",
      kernel: "native-avx2",
      threads,
      threadsRunning: running,
      threadsAvailable: true,
    };
  }
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
    ...(nativeUnavailable ? { nativeUnavailable } : {}),
  };
}
