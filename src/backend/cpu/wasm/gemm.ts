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
  /** Chunks per row of the grid (jobs.c's grid_columns). */
  gridColumns: number;
  chunkRows: number;
  chunkColumns: number;
  chunks: number;
}

/** The micro-kernel's rows (MR) and the packed strips' columns (NR) of the wasm build. */
const [TILE_ROWS, STRIP_COLUMNS] = [4, 8];

/**
 * A grid of chunks of C for `threads` threads, two per thread, claimed dynamically so that a
 * descheduled thread's share is taken by the others. A chunk packs its rows of A and its
 * columns of B, so R × C chunks pack A C times over and B R times: the grid with the least
 * packing wins, more rows on a tie (the native addon's split() in addon.c, measured there).
 */
function split(M: number, N: number, threads: number): Split {
  const target = threads === 1 ? 1 : threads * 2;
  let [rows, cols, least] = [0, 0, Infinity];
  for (let r = 1; r <= target; r++) {
    const c = target / r;
    if (!Number.isInteger(c) || (r > 1 && M < r * TILE_ROWS) || (c > 1 && N < c * STRIP_COLUMNS))
      continue;
    const packed = c * M + r * N;
    if (packed <= least) [rows, cols, least] = [r, c, packed];
  }
  if (least === Infinity) {
    // too small for a full grid: blocks along the longer side, in whole tiles or strips
    const byRows = Math.floor(M / TILE_ROWS) >= Math.floor(N / STRIP_COLUMNS);
    rows = byRows ? Math.min(target, Math.ceil(M / TILE_ROWS)) : 1;
    cols = byRows ? 1 : Math.min(target, Math.ceil(N / STRIP_COLUMNS));
  }
  const roundUp = (x: number, unit: number) => Math.ceil(x / unit) * unit;
  const chunkRows = roundUp(Math.ceil(M / rows), TILE_ROWS);
  const chunkColumns = roundUp(Math.ceil(N / cols), STRIP_COLUMNS);
  const gridColumns = Math.ceil(N / chunkColumns);
  return { gridColumns, chunkRows, chunkColumns, chunks: Math.ceil(M / chunkRows) * gridColumns };
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
    const s = split(M, N, threads);
    threads = Math.min(threads, s.chunks);
    const grid = [s.gridColumns, s.chunkRows, s.chunks, 0, 0, scratch, s.chunkColumns];
    postJob(rt, [+bt, a, b, c, M, K, N, ...grid], s.chunks);
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
