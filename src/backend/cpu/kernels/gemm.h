// The GEMM kernels of gemm.c, called per block of C by jobs.c (wasm) and the native pool.
#pragma once

// Rows of A sgemm packs at once (a multiple of both builds' MR, 4 and 6).
#define GEMM_A_ROWS 1020
// Floats of scratch each thread needs for sgemm's packed panel of B (256 x 256) and rows of A
// (GEMM_A_ROWS x 256).
#define GEMM_SCRATCH_FLOATS (256 * (256 + GEMM_A_ROWS))

// C = A·B (+= when accumulate); A[i, k] = A[i·rsa + k·csa], B[k, j] = B[k·rsb + j·csb], C
// row-major (ldc).
void sgemm(const float *A, int rsa, int csa, const float *B, int rsb, int csb, float *C, int ldc,
           int M, int K, int N, float *packed, int accumulate);
// Whether C = A·Btᵀ runs as dot products (sgemm_nt) rather than packed (sgemm): where packing
// Bᵀ would not pay, for few rows of A, or fewer columns of C than one packed strip (a
// classifier's two logits, a gate's single output), which sgemm would leave to scalar loops.
// Decided for the whole product, never per chunk, so the arithmetic does not depend on the
// thread split. The caller includes vec.h (MR, NR).
#define GEMM_BY_DOTS(M, N) ((M) < 4 * MR || (N) < NR)

// C = A·Btᵀ (+= when accumulate); A [M, K] and Bt [N, K] row-major.
void sgemm_nt(const float *A, int lda, const float *Bt, int ldb, float *C, int ldc, int M, int K,
              int N, int accumulate);
