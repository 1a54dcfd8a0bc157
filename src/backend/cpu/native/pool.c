// A persistent pthread pool for the native kernels: workers start on first need and then
// sleep on a condition variable between jobs (after a short spin: a training step's next
// product usually follows within microseconds). A job is chunks of work claimed one at a
// time from one atomic word holding generation << 32 | chunks << 16 | next chunk, as
// wasm/jobs.c does: a worker that wakes late for an older job can never claim a chunk of a
// newer one. The caller claims chunks too and waits only for chunks already claimed, so a
// worker that is slow to wake costs nothing. Workers are detached and never hold the event
// loop: Node exits whenever its JavaScript is done. One job runs at a time; a second caller
// (another worker_threads thread using the library) runs its chunks alone, same results.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "pool.h"
#include "../kernels/gemm.h"

// Polls of the job word before sleeping (~50 µs) and of the done count before yielding.
#define SPIN_POLLS 2000

static pthread_mutex_t run_lock = PTHREAD_MUTEX_INITIALIZER;  // one job at a time
static pthread_mutex_t wake_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

static struct {
  chunk_fn fn;
  void *ctx;
  atomic_int helpers;  // workers 1 .. helpers take part
} job;
static _Atomic unsigned long long claim_word;
static atomic_int done_chunks, worker_chunks;
static atomic_uint generation;
static int started;  // workers created, under run_lock

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

static float *new_scratch(void) {
  return aligned_alloc(64, sizeof(float) * GEMM_SCRATCH_FLOATS);
}

// Claims the next chunk of job generation gen, or returns -1 when none is left (or the job
// is newer than gen).
static int claim(unsigned gen, int *chunks) {
  unsigned long long w = atomic_load_explicit(&claim_word, memory_order_acquire);
  for (;;) {
    const int next = (int)(w & 0xffff);
    *chunks = (int)((w >> 16) & 0xffff);
    if ((unsigned)(w >> 32) != gen || next >= *chunks) return -1;
    if (atomic_compare_exchange_weak_explicit(&claim_word, &w, w + 1, memory_order_acq_rel,
                                              memory_order_acquire))
      return next;
  }
}

static void run_chunks(unsigned gen, float *scratch, int is_worker) {
  int chunks;
  for (int c; (c = claim(gen, &chunks)) >= 0;) {
    job.fn(job.ctx, c, scratch);  // the job stays as posted until every claimed chunk is done
    if (is_worker) atomic_fetch_add_explicit(&worker_chunks, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&done_chunks, 1, memory_order_release);
  }
}

static void *worker(void *arg) {
  const int id = (int)(long)arg;
  float *scratch = new_scratch();
  unsigned seen = atomic_load(&generation);
  for (;;) {
    for (int i = 0; atomic_load_explicit(&generation, memory_order_acquire) == seen; i++) {
      if (i < SPIN_POLLS) {
        relax();
        continue;
      }
      pthread_mutex_lock(&wake_lock);
      while (atomic_load(&generation) == seen) pthread_cond_wait(&wake, &wake_lock);
      pthread_mutex_unlock(&wake_lock);
    }
    seen = atomic_load_explicit(&generation, memory_order_acquire);
    if (id > atomic_load(&job.helpers) || !scratch) continue;
    run_chunks(seen, scratch, 1);
  }
  return NULL;
}

static void start_workers(int n) {
  for (; started < n && started < POOL_MAX_THREADS - 1; started++) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    const int ok = pthread_create(&t, &attr, worker, (void *)(long)(started + 1)) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) break;
  }
}

static _Thread_local float *caller_scratch;

int pool_run(chunk_fn fn, void *ctx, int chunks, int threads) {
  if (!caller_scratch) caller_scratch = new_scratch();
  float *scratch = caller_scratch;  // NULL only if out of memory: checked by the addon
  if (threads <= 1 || chunks <= 1 || pthread_mutex_trylock(&run_lock) != 0) {
    for (int c = 0; c < chunks; c++) fn(ctx, c, scratch);
    return 0;
  }
  start_workers(threads - 1);
  job.fn = fn, job.ctx = ctx;
  atomic_store(&job.helpers, threads - 1);
  atomic_store(&done_chunks, 0);
  atomic_store(&worker_chunks, 0);
  const unsigned gen = atomic_load(&generation) + 1;
  atomic_store_explicit(&claim_word, ((unsigned long long)gen << 32) | ((unsigned long long)chunks << 16),
                        memory_order_release);
  pthread_mutex_lock(&wake_lock);
  atomic_store_explicit(&generation, gen, memory_order_release);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&wake_lock);
  run_chunks(gen, scratch, 0);
  for (int i = 0; atomic_load_explicit(&done_chunks, memory_order_acquire) < chunks; i++)
    if (i < SPIN_POLLS) relax();
    else sched_yield();
  const int by_workers = atomic_load(&worker_chunks);
  pthread_mutex_unlock(&run_lock);
  return by_workers;
}

int pool_workers(void) { return started; }

long pool_chunk_size(long n, int threads, long min_chunk, long align) {
  threads = threads < 1 ? 1 : threads;
  long per = (n + threads * 4L - 1) / (threads * 4L);
  per = per < min_chunk ? min_chunk : (per + align - 1) / align * align;
  while ((n + per - 1) / per > 65535) per *= 2;
  return per;
}
