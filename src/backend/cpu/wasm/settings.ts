// How many threads the CPU kernels may use (dl.setNumThreads) and when a product is worth
// splitting. Plain state, so the public API can read it without starting the WebAssembly
// runtime.
import { nodeCores } from "../../../platform/threads.js";

/** The default thread count's cap: beyond it a shared machine's cores rarely help a GEMM. */
const DEFAULT_CAP = 16;

function machineThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const n = nodeCores() ?? nav?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(DEFAULT_CAP, n));
}

export const threadSettings = {
  /** Threads a GEMM may use, the calling thread included. */
  threads: machineThreads(),
  /**
   * Multiply-adds (M·K·N) below which a product stays on one thread (~25-50 µs of work): a
   * sleeping worker takes ~20 µs to wake and the caller waits for any chunk it claims, so
   * below this two threads lose (on a quiet 2-core machine they lose below ~128³ with
   * sleeping workers; bench/threads.mjs prints the sweep).
   */
  minParallelMacs: 1 << 20,
  /**
   * Elements below which a native elementwise op or sum stays on one thread (the same wake-up
   * cost against a loop at memory speed; bench/elementwise.mjs's add sweep).
   */
  minParallelElements: 1 << 16,
  /**
   * Whether the calling thread claims chunks too (it always does where no worker runs). Tests
   * turn it off so that, with workers, every chunk is certainly computed by a worker.
   */
  callerClaims: true,
};

/** What dl.getNumThreads() reports before any call to dl.setNumThreads. */
export const defaultThreads = machineThreads;
