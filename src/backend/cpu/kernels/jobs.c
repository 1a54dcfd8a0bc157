// One GEMM split into a grid of chunks of C (blocks of rows by blocks of columns) that threads
// claim and run: the main thread and each worker call run_job on the same job in the shared
// memory. The caller waits only for chunks that were claimed, never for a worker to show up:
// on a busy machine a worker that wakes late finds nothing left and goes back to sleep. Chunks never
// overlap in C and each element's arithmetic does not depend on which chunk holds it, so the
// result is bitwise the same for any thread count. Built twice by scripts/build-wasm.mjs: with
// -matomics for a shared memory, and without for one thread (atomics lower to plain accesses).
#include "vec.h"
#include "gemm.h"
#include "grid.h"

typedef struct {
  int transposed_b;  // 0: C = A·B with B [K, N]; 1: C = A·Btᵀ with Bt [N, K]
  const float *A;
  const float *B;
  float *C;
  int M, K, N;
  int grid_columns;  // chunks per row of the grid: chunk c is row c / grid_columns, column c % it
  int chunk_rows;    // rows of C per chunk (the last row of chunks may have fewer)
  int chunks;
  int done;          // chunks finished (atomic); the job may be rewritten once it is `chunks`
  int worker_chunks; // chunks run by threads other than 0 (atomic), for tests and stats
  float *scratch;    // one GEMM_SCRATCH_FLOATS block per thread
  int chunk_columns; // columns of C per chunk (the last column of chunks may have fewer)
  // generation << 32 | chunks << 16 | next unclaimed chunk: one word, so a claim made for an
  // older job (a worker that slept through it) can never succeed on a newer one.
  unsigned long long claim;
} Job;

_Static_assert(__builtin_offsetof(Job, done) == 40, "gemm.ts writes the job at fixed offsets");
_Static_assert(__builtin_offsetof(Job, claim) == 56, "gemm.ts writes the job at fixed offsets");

static inline int min_int(int a, int b) { return a < b ? a : b; }

static void run_chunk(const Job *j, int c, float *scratch) {
  const int m0 = (c / j->grid_columns) * j->chunk_rows;
  const int n0 = (c % j->grid_columns) * j->chunk_columns;
  const int M = min_int(j->chunk_rows, j->M - m0), N = min_int(j->chunk_columns, j->N - n0);
  const int K = j->K;
  const float *A = j->A + m0 * K;
  const float *B = j->B + (j->transposed_b ? n0 * K : n0);
  float *C = j->C + m0 * j->N + n0;
  // Bᵀ by dot products where packing it would not pay (GEMM_BY_DOTS), else packed like B;
  // chosen by the whole product's shape, never the chunk's. A one-column B is its own Bᵀ.
  if ((j->transposed_b || j->N == 1) && GEMM_BY_DOTS(j->M, j->N))
    sgemm_nt(A, K, B, K, C, j->N, M, K, N, 0);
  else if (j->transposed_b)
    sgemm(A, K, 1, B, 1, K, C, j->N, M, K, N, scratch, 0);
  else
    sgemm(A, K, 1, B, j->N, 1, C, j->N, M, K, N, scratch, 0);
}

// The next chunk of the current job (its count in *chunks), or -1 when all are claimed.
static int claim(Job *j, int *chunks) {
  unsigned long long w = __atomic_load_n(&j->claim, __ATOMIC_ACQUIRE);
  for (;;) {
    const int next = (int)(w & 0xffff);
    *chunks = (int)((w >> 16) & 0xffff);
    if (next >= *chunks) return -1;
    if (__atomic_compare_exchange_n(&j->claim, &w, w + 1, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) return next;
  }
}

// Splits the written job into gemm_grid's chunks for `threads` threads; returns their count
// (the caller then opens the claim word).
__attribute__((export_name("plan_job"))) int plan_job(Job *j, int threads) {
  const GemmGrid g = gemm_grid(j->M, j->N, threads);
  j->grid_columns = g.grid_columns, j->chunk_rows = g.rows, j->chunk_columns = g.cols;
  j->chunks = g.chunks;
  return g.chunks;
}

// Runs chunks until none is left; returns 1 if this call finished the job's last chunk.
__attribute__((export_name("run_job"))) int run_job(Job *j, int thread) {
  float *scratch = j->scratch + thread * GEMM_SCRATCH_FLOATS;
  int chunks, finished_last = 0;
  for (int c; (c = claim(j, &chunks)) >= 0;) {
    run_chunk(j, c, scratch);
    if (thread > 0) __atomic_fetch_add(&j->worker_chunks, 1, __ATOMIC_RELAXED);
    if (__atomic_add_fetch(&j->done, 1, __ATOMIC_ACQ_REL) == chunks) finished_last = 1;
  }
  return finished_last;
}
