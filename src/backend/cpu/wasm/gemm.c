// Single-precision GEMM for the CPU backend, compiled to WebAssembly with SIMD128:
//   C[M,N] += A[M,K] * B[K,N], all row-major and contiguous.
// Blocked for cache: each KC x NC panel of B is packed into 8-column strips stored k-major,
// so the micro-kernel streams contiguous memory whatever N is. A 4x8 register micro-kernel: 8 f32x4
// accumulators, 2 loads of B and 4 broadcasts of A per k step — 11 live vectors, which
// fits the 16 SIMD registers of x86-64 and ARM64 without spills.
// Build: node scripts/build-wasm.mjs (needs clang and lld with the wasm32 target).
#include <wasm_simd128.h>

#define KC 256
#define NC 256

// The packed panel of B: NC/8 strips of KC rows of 8 floats (256 KiB, in the module's bss).
static float packed[KC * NC];

static void pack_panel(const float *b, int ldb, int kc, int nv) {
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
static void micro_4x8(const float *a, int lda, const float *b, float *c, int ldc, int kc) {
  v128_t c00 = wasm_v128_load(c), c01 = wasm_v128_load(c + 4);
  v128_t c10 = wasm_v128_load(c + ldc), c11 = wasm_v128_load(c + ldc + 4);
  v128_t c20 = wasm_v128_load(c + 2 * ldc), c21 = wasm_v128_load(c + 2 * ldc + 4);
  v128_t c30 = wasm_v128_load(c + 3 * ldc), c31 = wasm_v128_load(c + 3 * ldc + 4);
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

// One row of C against a panel: 8 columns at a time in vectors, the tail in scalars.
static void row_1xn(const float *a, const float *b, int ldb, float *c, int nc, int kc) {
  int j = 0;
  for (; j + 8 <= nc; j += 8) {
    v128_t s0 = wasm_v128_load(c + j), s1 = wasm_v128_load(c + j + 4);
    for (int k = 0; k < kc; k++) {
      const v128_t av = wasm_f32x4_splat(a[k]);
      s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(av, wasm_v128_load(b + k * ldb + j)));
      s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(av, wasm_v128_load(b + k * ldb + j + 4)));
    }
    wasm_v128_store(c + j, s0);
    wasm_v128_store(c + j + 4, s1);
  }
  for (; j < nc; j++) {
    float s = c[j];
    for (int k = 0; k < kc; k++) s += a[k] * b[k * ldb + j];
    c[j] = s;
  }
}

__attribute__((export_name("sgemm"))) void sgemm(const float *A, const float *B, float *C, int M, int K, int N) {
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = min_int(KC, K - k0);
    for (int j0 = 0; j0 < N; j0 += NC) {
      const int nc = min_int(NC, N - j0);
      const int nv = nc & ~7;
      pack_panel(B + k0 * N + j0, N, kc, nv);
      int i = 0;
      for (; i + 4 <= M; i += 4) {
        const float *a = A + i * K + k0;
        const float *b = B + k0 * N + j0;
        float *c = C + i * N + j0;
        for (int j = 0; j < nv; j += 8) micro_4x8(a, K, packed + j * kc, c + j, N, kc);
        if (nv < nc)
          for (int r = 0; r < 4; r++) row_1xn(a + r * K, b + nv, N, c + r * N + nv, nc - nv, kc);
      }
      for (; i < M; i++) row_1xn(A + i * K + k0, B + k0 * N + j0, N, C + i * N + j0, nc, kc);
    }
  }
}
