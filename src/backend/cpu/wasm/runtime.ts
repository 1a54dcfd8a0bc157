// The WebAssembly GEMM's memory and its main-thread instance. With SharedArrayBuffer (Node,
// a cross-origin-isolated page) the shared build runs on a shared WebAssembly.Memory that
// worker threads instantiate too (workers.ts); otherwise the single-thread build runs on a
// plain one. Either way the memory is laid out the same (addresses in bytes):
//   base = __heap_base:  control words (FAILED, one slot per worker)
//   base + JOB_BYTE:     the job descriptor read by jobs.c's run_job
//   base + CTL_BYTES:    one packing scratch per possible thread (SCRATCH_BYTES each; pages
//                        never touched cost no memory)
//   after that:          the operands A, B and C of the current product
import { WASM_BASE64, WASM_SHARED_BASE64 } from "./generated/gemm-wasm.js";

export interface GemmExports {
  run_job(job: number, thread: number): void;
  /** Splits the written job into chunks for `threads` threads (gemm_grid); their count. */
  plan_job(job: number, threads: number): number;
  __heap_base: WebAssembly.Global;
}

export interface GemmRuntime {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  exports: GemmExports;
  /** Whether the memory is shared, so workers can run on it. */
  shared: boolean;
  /** Byte address of the control words (an Int32Array of CTL_INTS starts here). */
  base: number;
}

/** Int32 index of the word a worker sets when its run_job threw. */
export const FAILED = 0;
/**
 * Worker w's slot: [SEQ] bumped to wake it; [OWNER] the spawn id of the worker that owns the
 * slot now (any other one that wakes there exits); [READY] that id, written once it started;
 * [BUSY] 1 while it is inside run_job.
 */
export const slotIndex = (w: number) => 16 * w; // one 64-byte line per worker, w ≥ 1
export const SEQ = 0;
export const OWNER = 1;
export const READY = 2;
export const BUSY = 3;

/** Threads the layout has room for (the main thread included). */
export const MAX_THREADS = 64;
export const JOB_BYTE = 64 * MAX_THREADS;
/** Int32 index (into the control words) of the job's count of finished chunks. */
export const JOB_DONE = JOB_BYTE / 4 + 10;
export const CTL_BYTES = JOB_BYTE + 128;
export const CTL_INTS = CTL_BYTES / 4;
export const SCRATCH_BYTES = 4 * 256 * (256 + 1020); // GEMM_SCRATCH_FLOATS in kernels/gemm.h
const PAGE = 65536;
/** The shared build's declared maximum (4 GiB); a smaller one is tried where that fails. */
const SHARED_MAX_PAGES = [65536, 16384];

function decode(base64: string): Uint8Array {
  const bin = atob(base64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

function sharedMemory(): WebAssembly.Memory | null {
  if (typeof SharedArrayBuffer === "undefined") return null;
  for (const maximum of SHARED_MAX_PAGES) {
    try {
      return new WebAssembly.Memory({ initial: 64, maximum, shared: true });
    } catch {
      // too large a reservation here: try a smaller maximum
    }
  }
  return null;
}

function instantiate(base64: string, memory: WebAssembly.Memory, shared: boolean): GemmRuntime {
  const module = new WebAssembly.Module(decode(base64) as BufferSource);
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const exports = instance.exports as unknown as GemmExports;
  const base = Math.ceil((exports.__heap_base.value as number) / 64) * 64;
  return { memory, module, exports, shared, base };
}

/** The portable floor: the plain-memory build, for one thread (tests run it in Node too). */
export function singleThreadRuntime(): GemmRuntime {
  return instantiate(WASM_BASE64, new WebAssembly.Memory({ initial: 64 }), false);
}

let runtime: GemmRuntime | null | undefined;
/** Why threads are unavailable, when they are. */
export let noThreadsReason = "";

/** The runtime, created on first use; null where WebAssembly SIMD is missing. */
export function gemmRuntime(): GemmRuntime | null {
  if (runtime !== undefined) return runtime;
  runtime = null;
  const memory = sharedMemory();
  if (memory) {
    try {
      runtime = instantiate(WASM_SHARED_BASE64, memory, true);
    } catch (e) {
      noThreadsReason = `the shared-memory WebAssembly build did not load (${String(e)})`;
    }
  } else
    noThreadsReason =
      "SharedArrayBuffer is unavailable (a browser page needs cross-origin isolation)";
  if (!runtime) {
    try {
      runtime = singleThreadRuntime();
    } catch {
      runtime = null; // no WebAssembly SIMD here: the TypeScript loop serves
    }
  }
  return runtime;
}

/** Grows the memory to hold `bytes` from address 0. */
export function ensureBytes(rt: GemmRuntime, bytes: number): void {
  const have = rt.memory.buffer.byteLength;
  if (bytes > have) rt.memory.grow(Math.ceil((bytes - have) / PAGE));
}

/** The control words (re-made per use: a plain memory's buffer is replaced when it grows). */
export function controlWords(rt: GemmRuntime): Int32Array {
  return new Int32Array(rt.memory.buffer, rt.base, CTL_INTS);
}
