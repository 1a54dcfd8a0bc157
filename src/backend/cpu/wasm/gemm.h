// The GEMM kernels of gemm.c, called per block by jobs.c.
#pragma once

// Floats of scratch each thread needs for sgemm's packed panel of B.
#define GEMM_SCRATCH_FLOATS (256 * 256)

void sgemm(const float *A, int lda, const float *B, int ldb, float *C, int ldc, int M, int K, int N,
           float *packed, int accumulate);
void sgemm_nt(const float *A, int lda, const float *Bt, int ldb, float *C, int ldc, int M, int K, int N,
              int accumulate);
