// The native kernels' persistent thread pool (pool.c).
#pragma once

#define POOL_MAX_THREADS 64

// Runs fn(ctx, chunk, scratch) for every chunk in [0, chunks) (at most 65535) on up to
// `threads` threads, the caller included; returns once all are done. scratch: the running
// thread's own GEMM_SCRATCH_FLOATS floats. Returns the chunks run by threads other than the
// caller (0 when the pool is in use by another caller: then everything runs on this thread).
typedef void (*chunk_fn)(void *ctx, int chunk, float *scratch);
int pool_run(chunk_fn fn, void *ctx, int chunks, int threads);
// Elements per chunk for n elements on `threads` threads: about four chunks per thread, at
// least min_chunk elements, a multiple of `align`, and at most 65535 chunks.
long pool_chunk_size(long n, int threads, long min_chunk, long align);
// Worker threads started so far (they never stop; idle ones sleep).
int pool_workers(void);
