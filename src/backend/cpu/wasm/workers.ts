// The pool of GEMM worker threads: worker_threads Workers in Node, Web Workers in a
// cross-origin-isolated browser page, each running WORKER_BODY on the runtime's shared
// memory. Workers start on demand and never keep a Node process alive (unref). A worker that
// fails to start, throws or exits takes the pool down: every later product runs on the main
// thread alone, and dl.backendInfo() says why.
import {
  BUSY,
  controlWords,
  FAILED,
  type GemmRuntime,
  JOB_DONE,
  OWNER,
  READY,
  SEQ,
  slotIndex,
} from "./runtime.js";
import { WORKER_BODY } from "./worker-source.js";
import { hasNodeWorkers, startNodeWorker, type ThreadHandle } from "../../../platform/threads.js";

const workers: ThreadHandle[] = []; // workers[w - 1] runs thread w
const spawnIds: number[] = []; // what workers[w - 1] writes to its READY word once started
let lastSpawnId = 0;
let poolRuntime: GemmRuntime | null = null;
let broken = "";

/** The running workers (workers[w - 1] is thread w), for tests that break one. */
export const poolWorkers = (): readonly ThreadHandle[] => workers;

/** A worker's error or exit takes the pool down, unless the pool had already let it go. */
function onFail(thread: number, id: number, why: string): void {
  if (workers.length >= thread && spawnIds[thread - 1] === id) fail(`worker ${thread} ${why}`);
}

function fail(why: string): void {
  if (!broken) broken = why;
  stopWorkers(0);
}

function spawn(rt: GemmRuntime, thread: number): ThreadHandle {
  poolRuntime = rt;
  const id = (spawnIds[thread - 1] = ++lastSpawnId);
  const slot = slotIndex(thread);
  Atomics.store(controlWords(rt), slot + OWNER, id);
  const data = { module: rt.module, memory: rt.memory, base: rt.base, thread, slot, id };
  const failed = (why: string) => onFail(thread, id, why);
  if (hasNodeWorkers()) return startNodeWorker(WORKER_BODY, data, failed);
  const source = `${WORKER_BODY}\nself.onmessage = (e) => start(e.data);\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  w.onerror = (e) => failed(`failed: ${e.message}`);
  w.postMessage(data);
  return w;
}

/** Whether workers can exist here at all ("" when they can, else why not). */
export function workersUnavailable(rt: GemmRuntime): string {
  if (!rt.shared) return "the WebAssembly memory is not shared";
  if (broken) return broken;
  if (!hasNodeWorkers() && typeof Worker === "undefined") return "no Worker here";
  return "";
}

/** Starts or stops workers so that threads 1 .. n-1 exist; returns how many are ready. */
export function ensureWorkers(rt: GemmRuntime, n: number): number {
  if (workersUnavailable(rt)) return 0;
  stopWorkers(n - 1);
  try {
    while (workers.length < n - 1) workers.push(spawn(rt, workers.length + 1));
  } catch (e) {
    fail(`workers could not start (${String(e)})`);
    return 0;
  }
  return readyWorkers(rt);
}

/** How many workers (threads 1, 2, ... in order) have started and wait for work. */
export function readyWorkers(rt: GemmRuntime): number {
  const ctl = controlWords(rt);
  const started = (t: number) => Atomics.load(ctl, slotIndex(t) + READY) === spawnIds[t - 1];
  let ready = 0;
  while (ready < workers.length && started(ready + 1)) ready++;
  return ready;
}

/** Terminates the workers beyond the first `keep`; their slots read as not ready again. */
export function stopWorkers(keep: number): void {
  while (workers.length > keep) {
    const thread = workers.length;
    const w = workers.pop()!;
    spawnIds[thread - 1] = 0;
    if (poolRuntime) {
      const ctl = controlWords(poolRuntime);
      const slot = slotIndex(thread);
      Atomics.store(ctl, slot + READY, 0);
      Atomics.store(ctl, slot + BUSY, 0); // its successor there must not look busy
      Atomics.store(ctl, slot + OWNER, 0);
      Atomics.add(ctl, slot + SEQ, 1);
      Atomics.notify(ctl, slot + SEQ);
    }
    w.terminate();
  }
}

/** Wakes threads 1 .. count to claim chunks of the job just written. */
export function wakeWorkers(rt: GemmRuntime, count: number): void {
  const ctl = controlWords(rt);
  for (let t = 1; t <= count; t++) {
    Atomics.add(ctl, slotIndex(t) + SEQ, 1);
    Atomics.notify(ctl, slotIndex(t) + SEQ, 1);
  }
}

let canBlock: boolean | undefined;

/**
 * Waits until all `chunks` of the job are finished (a browser's main thread may not block, so
 * it polls); true when no worker failed.
 */
export function awaitChunks(rt: GemmRuntime, chunks: number): boolean {
  const ctl = controlWords(rt);
  for (
    let i = 0, d = Atomics.load(ctl, JOB_DONE);
    d < chunks;
    d = Atomics.load(ctl, JOB_DONE), i++
  ) {
    if (i < 2000 || canBlock === false) continue;
    try {
      Atomics.wait(ctl, JOB_DONE, d, 50);
      canBlock = true;
    } catch {
      canBlock = false;
    }
  }
  if (Atomics.load(ctl, FAILED) === 0) return true;
  fail("a worker's GEMM threw");
  return false;
}

/**
 * Waits until no worker is inside run_job (a caller interrupted mid-product, e.g. by a
 * notebook's SIGINT, leaves workers finishing chunks; the next product must not overwrite
 * operands under them). Rare, so it polls in 1 ms sleeps.
 */
export function awaitIdleWorkers(rt: GemmRuntime): void {
  const ctl = controlWords(rt);
  for (let t = 1; t <= workers.length; t++)
    while (Atomics.load(ctl, slotIndex(t) + BUSY) === 1) {
      try {
        Atomics.wait(ctl, slotIndex(t) + BUSY, 1, 1);
      } catch {
        // a browser's main thread may not block: poll
      }
    }
}

/** For tests: resolves once the first n - 1 workers have started (or the pool failed). */
export async function workersReady(rt: GemmRuntime, n: number): Promise<number> {
  for (;;) {
    const ready = ensureWorkers(rt, n);
    if (ready >= n - 1 || workersUnavailable(rt)) return ready;
    await new Promise((r) => setTimeout(r, 5));
  }
}
