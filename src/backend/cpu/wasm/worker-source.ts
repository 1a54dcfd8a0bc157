// The source of a GEMM worker thread, kept as a string so that the same text starts a Node
// Worker (src/platform/threads.ts appends its entry) and a browser Web Worker (a Blob URL,
// entered by a message) whether the library runs from its TypeScript sources, from dist/ or
// from a bundle: there is no worker file to find.
// The worker instantiates the shared GEMM module on the shared memory, writes its spawn id to
// READY (an id, not a flag, so a terminated predecessor's late write is never taken for it), then
// sleeps on its slot's SEQ word; each bump runs jobs.c's run_job for its thread index, and the
// thread that finishes a job's last chunk wakes the caller waiting on JOB_DONE. Indices match runtime.ts (checked by tests/backend/cpu-threads.test.ts).
import { BUSY, CTL_INTS, FAILED, JOB_BYTE, JOB_DONE, OWNER, READY, SEQ } from "./runtime.js";

/**
 * Polls of SEQ before sleeping (~25-50 µs here): a sleeping thread takes ~20 µs to wake, as long as a small
 * product, and the next GEMM of a training step usually follows within microseconds. Bounded,
 * so an idle worker sleeps instead of burning a core.
 */
export const SPIN_POLLS = 2000;

/** Defines start(data); each host appends the call. */
export const WORKER_BODY = `"use strict";
const start = ({ module, memory, base, thread, slot, id }) => {
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const runJob = instance.exports.run_job;
  const ctl = new Int32Array(memory.buffer, base, ${CTL_INTS});
  const job = base + ${JOB_BYTE};
  let seen = Atomics.load(ctl, slot + ${SEQ}); // before READY: no wake-up can fall between
  Atomics.store(ctl, slot + ${READY}, id);
  for (;;) {
    for (let i = 0; Atomics.load(ctl, slot + ${SEQ}) === seen; i++)
      if (i >= ${SPIN_POLLS}) Atomics.wait(ctl, slot + ${SEQ}, seen);
    seen = Atomics.load(ctl, slot + ${SEQ});
    if (Atomics.load(ctl, slot + ${OWNER}) !== id) return; // stopped, or replaced
    Atomics.store(ctl, slot + ${BUSY}, 1);
    try {
      if (runJob(job, thread)) Atomics.notify(ctl, ${JOB_DONE});
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
      Atomics.add(ctl, ${JOB_DONE}, 1); // the chunk it held ends here
      Atomics.notify(ctl, ${JOB_DONE});
    }
    Atomics.store(ctl, slot + ${BUSY}, 0);
  }
};
`;
