// The WebAssembly SIMD GEMM (gemm.c, jobs.c) behind the CPU matmul: operands are packed into
// the module's memory, then the product is split into chunks of C run by this thread and, for
// large products where SharedArrayBuffer exists, by worker threads (workers.ts) on the same
// memory. Where WebAssembly SIMD is unavailable (old engines), wasmGemm() returns null and the
// backend keeps its TypeScript loop.
import {
  controlWords,
  CTL_BYTES,
  ensureBytes,
  gemmRuntime,
  type GemmRuntime,
  JOB_BYTE,
  JOB_DONE,
  MAX_THREADS,
  SCRATCH_BYTES,
  FAILED,
} from "./runtime.js";
import { threadSettings } from "./settings.js";
import { awaitChunks, awaitIdleWorkers, ensureWorkers, wakeWorkers } from "./workers.js";

export interface GemmWorkspace {
  A: Float32Array;
  B: Float32Array;
  C: Float32Array;
  /** C = A·B for the packed operands (C is overwritten). */
  run(): void;
  /** C = A·Bᵀ where B holds Bᵀ, [N, K] row-major (C is overwritten). */
  runTransposedB(): void;
}

/** How the last product ran, for tests and benchmarks. */
export const lastGemm = { threads: 1, chunks: 1, workerChunks: 0 };

let generation = 0;
let chunksOfOpenJob = -1; // the posted job's chunk count until its caller saw it finish

/** The claim word at JOB_BYTE + 56: generation << 32 | chunks << 16 | next chunk. */
const claimWord = (rt: GemmRuntime) =>
  new BigInt64Array(rt.memory.buffer, rt.base + JOB_BYTE + 56, 1);

/**
 * If the last product's caller never saw it finish (interrupted, or an exception), closes its
 * job to further claims and waits for the workers still inside it, so that the next operands
 * are not written under them.
 */
export function settleOpenJob(rt: GemmRuntime): void {
  if (chunksOfOpenJob < 0) return;
  const c = BigInt(chunksOfOpenJob);
  Atomics.store(claimWord(rt), 0, (BigInt(generation) << 32n) | (c << 16n) | c);
  awaitIdleWorkers(rt);
  chunksOfOpenJob = -1;
}

/**
 * Writes the job descriptor (jobs.c's Job), has jobs.c split it into chunks for `threads`
 * threads (the native addon's grid, kernels/grid.h), and, last, writes its claim word,
 * which opens it. Returns the chunk count.
 */
function postJob(rt: GemmRuntime, fields: readonly number[], threads: number): number {
  const ctl = controlWords(rt);
  ctl.set(fields, JOB_BYTE / 4);
  const chunks = rt.exports.plan_job(rt.base + JOB_BYTE, threads);
  Atomics.store(ctl, JOB_DONE, 0);
  Atomics.store(ctl, JOB_DONE + 1, 0); // worker_chunks
  Atomics.store(ctl, FAILED, 0);
  generation = (generation + 1) >>> 0;
  chunksOfOpenJob = chunks;
  Atomics.store(claimWord(rt), 0, (BigInt(generation) << 32n) | BigInt(chunks << 16));
  return chunks;
}

/** Threads for an M·K·N product: 1 when small, else up to the setting, as workers are ready. */
function threadsFor(rt: GemmRuntime, macs: number): number {
  const want = Math.min(threadSettings.threads, MAX_THREADS);
  if (!rt.shared || want === 1 || macs < threadSettings.minParallelMacs) return 1;
  return 1 + ensureWorkers(rt, want);
}

function multiply(rt: GemmRuntime, ptrs: number[], M: number, K: number, N: number, bt: boolean) {
  const [a, b, c, scratch] = ptrs;
  let threads = threadsFor(rt, M * K * N);
  for (;;) {
    // The grid's fields (grid_columns, chunk_rows, chunks, chunk_columns) are plan_job's.
    const chunks = postJob(rt, [+bt, a, b, c, M, K, N, 0, 0, 0, 0, 0, scratch, 0], threads);
    threads = Math.min(threads, chunks);
    if (threads > 1) wakeWorkers(rt, threads - 1);
    // An exception here (a trap, an interrupt) leaves the job open: settleOpenJob closes it.
    if (threads === 1 || threadSettings.callerClaims) rt.exports.run_job(rt.base + JOB_BYTE, 0);
    const ok = threads === 1 || awaitChunks(rt, chunks);
    chunksOfOpenJob = -1;
    const workerChunks = controlWords(rt)[JOB_DONE + 1];
    Object.assign(lastGemm, { threads, chunks, workerChunks });
    if (ok) return;
    threads = 1; // a worker failed: the pool is down, redo the product here
  }
}

/** Views over the module's memory for an M×K by K×N product, or null without WebAssembly. */
export function wasmGemm(M: number, K: number, N: number): GemmWorkspace | null {
  const rt = gemmRuntime();
  return rt && gemmWorkspace(rt, M, K, N);
}

/** The workspace on a given runtime (wasmGemm's, or another for tests). */
export function gemmWorkspace(rt: GemmRuntime, M: number, K: number, N: number): GemmWorkspace {
  settleOpenJob(rt);
  const threads = rt.shared ? MAX_THREADS : 1; // see the layout in runtime.ts
  const scratch = rt.base + CTL_BYTES;
  const aOff = scratch + SCRATCH_BYTES * threads;
  const bOff = aOff + 4 * M * K;
  const cOff = bOff + 4 * K * N;
  ensureBytes(rt, cOff + 4 * M * N);
  const buf = rt.memory.buffer;
  const ptrs = [aOff, bOff, cOff, scratch];
  return {
    A: new Float32Array(buf, aOff, M * K),
    B: new Float32Array(buf, bOff, K * N),
    C: new Float32Array(buf, cOff, M * N),
    run: () => multiply(rt, ptrs, M, K, N, false),
    runTransposedB: () => multiply(rt, ptrs, M, K, N, true),
  };
}
