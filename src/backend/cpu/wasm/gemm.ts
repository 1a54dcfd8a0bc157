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

interface Split {
  byColumns: boolean;
  chunk: number;
  chunks: number;
}

/**
 * Chunks of C for `threads` threads: blocks of rows (a multiple of the 4-row micro-kernel) or
 * of columns. A chunk packs its own part of one operand and all of the other (by columns all
 * of A, by rows all of B), so columns where C is wider than tall, rows otherwise (the native
 * addon's split() in addon.c, measured there). Claimed dynamically, four per thread, so a
 * descheduled thread's share is taken by the others.
 */
function split(M: number, N: number, transposed: boolean, threads: number): Split {
  if (threads === 1) return { byColumns: false, chunk: M, chunks: 1 };
  const target = threads * 4;
  const byColumns = transposed ? N >= M : N >= 16 * threads && (N > M || M < 4 * threads);
  const [dim, unit] = byColumns ? [N, 16] : [M, 4];
  const chunk = Math.max(unit, Math.ceil(Math.ceil(dim / target) / unit) * unit);
  return { byColumns, chunk, chunks: Math.ceil(dim / chunk) };
}

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

/** Writes the job descriptor (jobs.c's Job) and, last, its claim word, which opens it. */
function postJob(rt: GemmRuntime, fields: readonly number[], chunks: number): void {
  const ctl = controlWords(rt);
  ctl.set(fields, JOB_BYTE / 4);
  Atomics.store(ctl, JOB_DONE, 0);
  Atomics.store(ctl, JOB_DONE + 1, 0); // worker_chunks
  Atomics.store(ctl, FAILED, 0);
  generation = (generation + 1) >>> 0;
  chunksOfOpenJob = chunks;
  Atomics.store(claimWord(rt), 0, (BigInt(generation) << 32n) | BigInt(chunks << 16));
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
    const s = split(M, N, bt, threads);
    threads = Math.min(threads, s.chunks);
    postJob(rt, [+bt, a, b, c, M, K, N, +s.byColumns, s.chunk, s.chunks, 0, 0, scratch], s.chunks);
    if (threads > 1) wakeWorkers(rt, threads - 1);
    // An exception here (a trap, an interrupt) leaves the job open: settleOpenJob closes it.
    if (threads === 1 || threadSettings.callerClaims) rt.exports.run_job(rt.base + JOB_BYTE, 0);
    const ok = threads === 1 || awaitChunks(rt, s.chunks);
    chunksOfOpenJob = -1;
    const workerChunks = controlWords(rt)[JOB_DONE + 1];
    Object.assign(lastGemm, { threads, chunks: s.chunks, workerChunks });
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
