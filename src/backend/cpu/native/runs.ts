// How the native kernels' calls are split across the addon's threads, and a record of the
// last call for tests and benchmarks.
import { threadSettings } from "../wasm/settings.js";

/** How the last native call ran, for tests and benchmarks. */
export const lastNative = { threads: 1, workerChunks: 0 };

/**
 * Elements below which the loop engine runs an elementwise op, a sum or a copy: under it the
 * addon call and the operand analysis cost more than the JavaScript loop (measured with
 * bench/elementwise.mjs).
 */
export const MIN_NATIVE_ELEMENTS = 64;

/** Threads for `work` units: all of dl.setNumThreads' count from `minWork` on, else one. */
export function threadsFor(work: number, minWork: number): number {
  return work < minWork ? 1 : threadSettings.threads;
}

/** Threads for an elementwise pass over n elements. */
export function elementThreads(n: number): number {
  return threadsFor(n, threadSettings.minParallelElements);
}

/** Notes how a native call ran (its thread count and the chunks worker threads took). */
export function record(threads: number, workerChunks: number): void {
  lastNative.threads = threads;
  lastNative.workerChunks = workerChunks;
}
