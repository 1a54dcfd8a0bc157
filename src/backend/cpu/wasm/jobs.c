// One GEMM split into chunks of C (blocks of rows or of columns) that every thread claims and
// runs: the main thread and each worker call run_job on the same job in the shared memory.
// Chunks never overlap in C and each element's arithmetic does not depend on which chunk holds
// it, so the result is bitwise the same for any thread count. Built twice by
// scripts/build-wasm.mjs: with -matomics for a shared memory (the claims are atomic adds), and
// without for a single thread (the atomics lower to plain loads and stores).
#include "gemm.h"

typedef struct {
  int transposed_b;  // 0: C = A·B with B [K, N]; 1: C = A·Btᵀ with Bt [N, K]
  const float *A;
  const float *B;
  float *C;
  int M, K, N;
  int by_columns;    // chunks are blocks of columns of C (else of rows)
  int chunk;         // rows or columns per chunk
  int chunks;
  int static_split;  // thread t runs chunks t, t + threads, ... (else claims the next free one)
  int threads;
  int next;          // the next unclaimed chunk (atomic)
  int worker_chunks; // chunks run by threads other than 0 (atomic), for tests and stats
  float *scratch;    // threads × GEMM_SCRATCH_FLOATS
} Job;

static inline int min_int(int a, int b) { return a < b ? a : b; }

static void run_chunk(const Job *j, int c, float *scratch) {
  const int start = c * j->chunk;
  int M = j->M, N = j->N, K = j->K;
  const float *A = j->A, *B = j->B;
  float *C = j->C;
  if (j->by_columns) {
    N = min_int(j->chunk, j->N - start);
    B += j->transposed_b ? start * K : start;
    C += start;
  } else {
    M = min_int(j->chunk, j->M - start);
    A += start * K;
    C += start * j->N;
  }
  if (j->transposed_b)
    sgemm_nt(A, K, B, K, C, j->N, M, K, N, 0);
  else
    sgemm(A, K, B, j->N, C, j->N, M, K, N, scratch, 0);
}

__attribute__((export_name("run_job"))) void run_job(Job *j, int thread) {
  float *scratch = j->scratch + thread * GEMM_SCRATCH_FLOATS;
  for (int i = 0;; i++) {
    const int c = j->static_split ? thread + i * j->threads : __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
    if (c >= j->chunks) return;
    run_chunk(j, c, scratch);
    if (thread > 0) __atomic_fetch_add(&j->worker_chunks, 1, __ATOMIC_RELAXED);
  }
}
