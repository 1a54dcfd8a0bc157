// Single-precision GEMM for the CPU backend, compiled to WebAssembly with SIMD128:
//   C[M,N] (+)= A[M,K] * B[K,N], row-major with leading dimensions lda, ldb, ldc, so that
//   jobs.c can hand each thread a block of rows or columns of one product.
// Blocked for cache: each KC x NC panel of B is packed into 8-column strips stored k-major,
// so the micro-kernel streams contiguous memory whatever N is. A 4x8 register micro-kernel: 8 f32x4
// accumulators, 2 loads of B and 4 broadcasts of A per k step — 11 live vectors, which
// fits the 16 SIMD registers of x86-64 and ARM64 without spills.
// Build: node scripts/build-wasm.mjs (needs clang and lld with the wasm32 target).
#include <wasm_simd128.h>
#include "gemm.h"

#define KC 256
#define NC 256

// The packed panel of B: NC/8 strips of KC rows of 8 floats (256 KiB). Each thread passes
// its own (a static buffer would be shared by every thread on a shared memory).
static void pack_panel(float *packed, const float *b, int ldb, int kc, int nv) {
  for (int j = 0; j < nv; j += 8) {
    float *dst = packed + j * kc;
    for (int k = 0; k < kc; k++) {
      wasm_v128_store(dst + 8 * k, wasm_v128_load(b + k * ldb + j));
      wasm_v128_store(dst + 8 * k + 4, wasm_v128_load(b + k * ldb + j + 4));
    }
  }
}

static inline int min_int(int a, int b) { return a < b ? a : b; }

// b points at a packed strip: row k of the strip is b[8k .. 8k+8).
// acc: add to C (a later k block); else overwrite it (the first), so C needs no zeroing pass.
static inline v128_t load_c(const float *c, int acc) {
  return acc ? wasm_v128_load(c) : wasm_f32x4_splat(0);
}

static void micro_4x8(const float *a, int lda, const float *b, float *c, int ldc, int kc, int acc) {
  v128_t c00 = load_c(c, acc), c01 = load_c(c + 4, acc);
  v128_t c10 = load_c(c + ldc, acc), c11 = load_c(c + ldc + 4, acc);
  v128_t c20 = load_c(c + 2 * ldc, acc), c21 = load_c(c + 2 * ldc + 4, acc);
  v128_t c30 = load_c(c + 3 * ldc, acc), c31 = load_c(c + 3 * ldc + 4, acc);
  for (int k = 0; k < kc; k++) {
    const v128_t b0 = wasm_v128_load(b + 8 * k);
    const v128_t b1 = wasm_v128_load(b + 8 * k + 4);
    v128_t a0 = wasm_f32x4_splat(a[k]);
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(a0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(a0, b1));
    a0 = wasm_f32x4_splat(a[lda + k]);
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(a0, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(a0, b1));
    a0 = wasm_f32x4_splat(a[2 * lda + k]);
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(a0, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(a0, b1));
    a0 = wasm_f32x4_splat(a[3 * lda + k]);
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(a0, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(a0, b1));
  }
  wasm_v128_store(c, c00);
  wasm_v128_store(c + 4, c01);
  wasm_v128_store(c + ldc, c10);
  wasm_v128_store(c + ldc + 4, c11);
  wasm_v128_store(c + 2 * ldc, c20);
  wasm_v128_store(c + 2 * ldc + 4, c21);
  wasm_v128_store(c + 3 * ldc, c30);
  wasm_v128_store(c + 3 * ldc + 4, c31);
}

// One row of C against the packed strip (the M % 4 leftover rows: 6 output channels of a
// convolution leave 2): contiguous loads where row_1xn strides through unpacked B.
static void micro_1x8(const float *a, const float *b, float *c, int kc, int acc) {
  v128_t c0 = load_c(c, acc), c1 = load_c(c + 4, acc);
  for (int k = 0; k < kc; k++) {
    const v128_t a0 = wasm_f32x4_splat(a[k]);
    c0 = wasm_f32x4_add(c0, wasm_f32x4_mul(a0, wasm_v128_load(b + 8 * k)));
    c1 = wasm_f32x4_add(c1, wasm_f32x4_mul(a0, wasm_v128_load(b + 8 * k + 4)));
  }
  wasm_v128_store(c, c0);
  wasm_v128_store(c + 4, c1);
}

// One row of C against a panel: 8 columns at a time in vectors, the tail in scalars.
static void row_1xn(const float *a, const float *b, int ldb, float *c, int nc, int kc, int acc) {
  int j = 0;
  for (; j + 8 <= nc; j += 8) {
    v128_t s0 = load_c(c + j, acc), s1 = load_c(c + j + 4, acc);
    for (int k = 0; k < kc; k++) {
      const v128_t av = wasm_f32x4_splat(a[k]);
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(av, wasm_v128_load(b + k * ldb + j)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(av, wasm_v128_load(b + k * ldb + j + 4)));
    }
    wasm_v128_store(c + j, s0);
    wasm_v128_store(c + j + 4, s1);
  }
  for (; j < nc; j++) {
    float s = acc ? c[j] : 0;
    for (int k = 0; k < kc; k++) s += a[k] * b[k * ldb + j];
    c[j] = s;
  }
}

// C = A·B (C += A·B when accumulate). packed: KC·NC floats of this thread's scratch.
void sgemm(const float *A, int lda, const float *B, int ldb, float *C, int ldc, int M, int K, int N,
           float *packed, int accumulate) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = min_int(KC, K - k0);
    const int acc = accumulate || k0 > 0;
    for (int j0 = 0; j0 < N; j0 += NC) {
      const int nc = min_int(NC, N - j0);
      const int nv = nc & ~7;
      const float *b = B + k0 * ldb + j0;
      pack_panel(packed, b, ldb, kc, nv);
      int i = 0;
      for (; i + 4 <= M; i += 4) {
        const float *a = A + i * lda + k0;
        float *c = C + i * ldc + j0;
        for (int j = 0; j < nv; j += 8) micro_4x8(a, lda, packed + j * kc, c + j, ldc, kc, acc);
        if (nv < nc)
          for (int r = 0; r < 4; r++) row_1xn(a + r * lda, b + nv, ldb, c + r * ldc + nv, nc - nv, kc, acc);
      }
      for (; i < M; i++) {
        const float *a = A + i * lda + k0;
        float *c = C + i * ldc + j0;
        for (int j = 0; j < nv; j += 8) micro_1x8(a, packed + j * kc, c + j, kc, acc);
        if (nv < nc) row_1xn(a, b + nv, ldb, c + nv, nc - nv, kc, acc);
      }
    }
  }
}

// ---- C (+)= A · Btᵀ, B given transposed ([N, K] row-major), as every matmul backward has.
// Rows of A and of Bt both run along k, so each C element is a dot product of two contiguous
// runs: no transpose copy of B (which cost more than the product for the 25 × 36864 columns
// of a convolution's weight gradient). Blocked: KB values of k by NB rows of Bt stay in cache
// while every row of A passes over them; a 2×4 register block shares each load.
#define KB 512
#define NB 32

static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

// C[r, c] (+)= a_r · b_c over kb values for r < rows (1 or 2), c < 4.
static void dot_2x4(const float *a, int lda, int rows, const float *b, int ldb, float *c, int ldc, int kb,
                    int acc) {
  const float *a1 = rows > 1 ? a + lda : a;
  v128_t s00 = wasm_f32x4_splat(0), s01 = s00, s02 = s00, s03 = s00;
  v128_t s10 = s00, s11 = s00, s12 = s00, s13 = s00;
  int k = 0;
  for (; k + 4 <= kb; k += 4) {
    const v128_t x0 = wasm_v128_load(a + k), x1 = wasm_v128_load(a1 + k);
    v128_t y = wasm_v128_load(b + k);
    s00 = wasm_f32x4_add(s00, wasm_f32x4_mul(x0, y));
    s10 = wasm_f32x4_add(s10, wasm_f32x4_mul(x1, y));
    y = wasm_v128_load(b + ldb + k);
    s01 = wasm_f32x4_add(s01, wasm_f32x4_mul(x0, y));
    s11 = wasm_f32x4_add(s11, wasm_f32x4_mul(x1, y));
    y = wasm_v128_load(b + 2 * ldb + k);
    s02 = wasm_f32x4_add(s02, wasm_f32x4_mul(x0, y));
    s12 = wasm_f32x4_add(s12, wasm_f32x4_mul(x1, y));
    y = wasm_v128_load(b + 3 * ldb + k);
    s03 = wasm_f32x4_add(s03, wasm_f32x4_mul(x0, y));
    s13 = wasm_f32x4_add(s13, wasm_f32x4_mul(x1, y));
  }
  float t00 = hsum(s00), t01 = hsum(s01), t02 = hsum(s02), t03 = hsum(s03);
  float t10 = hsum(s10), t11 = hsum(s11), t12 = hsum(s12), t13 = hsum(s13);
  for (; k < kb; k++) {
    t00 += a[k] * b[k], t01 += a[k] * b[ldb + k], t02 += a[k] * b[2 * ldb + k], t03 += a[k] * b[3 * ldb + k];
    t10 += a1[k] * b[k], t11 += a1[k] * b[ldb + k], t12 += a1[k] * b[2 * ldb + k], t13 += a1[k] * b[3 * ldb + k];
  }
  if (acc) t00 += c[0], t01 += c[1], t02 += c[2], t03 += c[3];
  c[0] = t00, c[1] = t01, c[2] = t02, c[3] = t03;
  if (rows < 2) return;
  if (acc) t10 += c[ldc], t11 += c[ldc + 1], t12 += c[ldc + 2], t13 += c[ldc + 3];
  c[ldc] = t10, c[ldc + 1] = t11, c[ldc + 2] = t12, c[ldc + 3] = t13;
}

static void dot_1x1(const float *a, const float *b, float *c, int kb, int acc) {
  v128_t s = wasm_f32x4_splat(0);
  int k = 0;
  for (; k + 4 <= kb; k += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
  float t = hsum(s);
  for (; k < kb; k++) t += a[k] * b[k];
  *c = acc ? t + *c : t;
}

// C = A·Btᵀ (C += A·Btᵀ when accumulate); Bt is [N, K] with leading dimension ldb.
void sgemm_nt(const float *A, int lda, const float *Bt, int ldb, float *C, int ldc, int M, int K, int N,
              int accumulate) {
  for (int k0 = 0; k0 < K; k0 += KB) {
    const int kb = min_int(KB, K - k0);
    const int acc = accumulate || k0 > 0;
    for (int j0 = 0; j0 < N; j0 += NB) {
      const int nb = min_int(NB, N - j0);
      for (int i = 0; i < M; i += 2) {
        const int rows = min_int(2, M - i);
        const float *a = A + i * lda + k0;
        float *c = C + i * ldc + j0;
        int j = 0;
        for (; j + 4 <= nb; j += 4) dot_2x4(a, lda, rows, Bt + (j0 + j) * ldb + k0, ldb, c + j, ldc, kb, acc);
        for (; j < nb; j++)
          for (int r = 0; r < rows; r++) dot_1x1(a + r * lda, Bt + (j0 + j) * ldb + k0, c + r * ldc + j, kb, acc);
      }
    }
  }
}
