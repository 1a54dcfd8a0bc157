// Single-precision GEMM for the CPU backend, one source for two builds (vec.h picks the
// vectors): WebAssembly SIMD128 (scripts/build-wasm.mjs) and native AVX2+FMA
// (scripts/build-native.mjs). C[M,N] (+)= A[M,K] · B[K,N], with A read through any strides
// (rsa between rows, csa between k: a transposed A costs nothing, its values are broadcast one
// at a time) and B, C row-major with leading dimensions, so that callers can hand each thread
// a block of rows or columns of one product.
// Blocked for cache: each KC x NC panel of B is packed into NR-column strips stored k-major,
// so the micro-kernel streams contiguous memory whatever N is. The MR x NR register
// micro-kernel holds MR·NV accumulators, NV loads of B and one broadcast of A per k step.
#include "vec.h"
#include "gemm.h"

#define KC 256
#define NC 256
#define UNROLL _Pragma("GCC unroll 16")

_Static_assert(KC * (NC + GEMM_A_ROWS) <= GEMM_SCRATCH_FLOATS, "the packed panels must fit the scratch");
_Static_assert(GEMM_A_ROWS % MR == 0, "the packed rows of A are whole tiles");
_Static_assert(NC % NR == 0, "panels hold whole strips");

static inline int min_int(int a, int b) { return a < b ? a : b; }

// The packed panel of B: nv/NR strips of kc rows of NR floats. Each thread passes its own.
// B[k, j] = b[k·rsb + j·csb]: rows of B are copied by vectors, a transposed B (csb > 1, as
// matmul backwards have) is gathered along its contiguous k.
static void pack_panel(float *packed, const float *b, int rsb, int csb, int kc, int nv) {
  if (csb == 1)  // row by row: one contiguous read of each row of the panel (prefetch-friendly)
    for (int k = 0; k < kc; k++)
      for (int j = 0; j < nv; j += NR) UNROLL for (int v = 0; v < NV; v++)
          vstore(packed + j * kc + NR * k + v * VW, vload(b + k * rsb + j + v * VW));
  else  // columns of B: VW x VW blocks transposed in registers where k is contiguous (rsb 1)
    for (int j = 0; j < nv; j += NR)
      for (int jb = 0; jb < NR; jb += VW) {
        float *dst = packed + j * kc + jb;
        const float *src = b + (j + jb) * csb;
        int k = 0;
        if (rsb == 1)
          for (; k + VW <= kc; k += VW) vtranspose(src + k, csb, dst + NR * k, NR);
        for (; k < kc; k++)
          for (int jj = 0; jj < VW; jj++) dst[NR * k + jj] = src[k * rsb + jj * csb];
      }
}

// MR rows of A from a (strides rsa, csa) as kc groups of MR contiguous values: the micro-kernel
// then reads one stream, whatever A's layout (rows a power-of-two apart would otherwise share
// L1 cache sets with the strip of B, as at 1024).
static void pack_rows(float *dst, const float *a, int rsa, int csa, int kc) {
  for (int k = 0; k < kc; k++, a += csa) UNROLL for (int r = 0; r < MR; r++) dst[MR * k + r] = a[r * rsa];
}

// acc: add to C (a later k block, or accumulate); else overwrite it, so C needs no zeroing.
static inline vf load_c(const float *c, int acc) { return acc ? vload(c) : vzero(); }

// R (<= MR) rows of C by one packed strip b (row k of the strip is b[NR·k .. NR·k + NR)):
// one function per row count R, its accumulators an array of exactly R·NV vectors that the
// compiler keeps in registers (the wasm build must not spill to a C stack, see build-wasm.mjs).
#define TILE(R)                                                                                  \
  static void tile##R(const float *a, int rsa, int csa, const float *b, float *c, int ldc, int kc, \
                      int acc) {                                                                 \
    vf s[R][NV];                                                                                 \
    UNROLL for (int r = 0; r < R; r++) UNROLL for (int v = 0; v < NV; v++)                       \
        s[r][v] = load_c(c + r * ldc + v * VW, acc);                                             \
    for (int k = 0; k < kc; k++, a += csa, b += NR) {                                            \
      vf bv[NV];                                                                                 \
      UNROLL for (int v = 0; v < NV; v++) bv[v] = vload(b + v * VW);                             \
      UNROLL for (int r = 0; r < R; r++) {                                                       \
        const vf av = vsplat(a[r * rsa]);                                                        \
        UNROLL for (int v = 0; v < NV; v++) s[r][v] = vmadd(av, bv[v], s[r][v]);                 \
      }                                                                                          \
    }                                                                                            \
    UNROLL for (int r = 0; r < R; r++) UNROLL for (int v = 0; v < NV; v++)                       \
        vstore(c + r * ldc + v * VW, s[r][v]);                                                   \
  }
TILE(1)
TILE(2)
TILE(3)
TILE(4)
#if MR > 4
TILE(5)
TILE(6)
#endif
_Static_assert(MR == 4 || MR == 6, "a TILE(R) per row count up to MR");

// The full tile of MR rows, and the M % MR leftover rows by a kernel of their own height.
static void tile_rows(int rows, const float *a, int rsa, int csa, const float *b, float *c, int ldc,
                      int kc, int acc) {
  switch (rows) {
#if MR > 4
    case 6: tile6(a, rsa, csa, b, c, ldc, kc, acc); break;
    case 5: tile5(a, rsa, csa, b, c, ldc, kc, acc); break;
#endif
    case 4: tile4(a, rsa, csa, b, c, ldc, kc, acc); break;
    case 3: tile3(a, rsa, csa, b, c, ldc, kc, acc); break;
    case 2: tile2(a, rsa, csa, b, c, ldc, kc, acc); break;
    default: tile1(a, rsa, csa, b, c, ldc, kc, acc); break;
  }
}

// One row of C against unpacked B (the N % NR leftover columns): VW at a time where B's rows
// are contiguous, then scalars, four columns at once so that their sums run side by side (one
// at a time, each FMA waited for the last: a transposed B's 7 leftover columns of 55 took
// most of the product). The same arithmetic per element either way.
static void row_1xn(const float *a, int csa, const float *b, int rsb, int csb, float *c, int nc,
                    int kc, int acc) {
  int j = 0;
  if (csb == 1)
    for (; j + VW <= nc; j += VW) {
      vf s = load_c(c + j, acc);
      for (int k = 0; k < kc; k++) s = vmadd(vsplat(a[k * csa]), vload(b + k * rsb + j), s);
      vstore(c + j, s);
    }
  for (; j + 4 <= nc; j += 4) {
    float s[4];
    UNROLL for (int q = 0; q < 4; q++) s[q] = acc ? c[j + q] : 0;
    for (int k = 0; k < kc; k++) {
      const float av = a[k * csa];
      UNROLL for (int q = 0; q < 4; q++) s[q] = smadd(av, b[k * rsb + (j + q) * csb], s[q]);
    }
    UNROLL for (int q = 0; q < 4; q++) c[j + q] = s[q];
  }
  for (; j < nc; j++) {
    float s = acc ? c[j] : 0;
    for (int k = 0; k < kc; k++) s = smadd(a[k * csa], b[k * rsb + j * csb], s);
    c[j] = s;
  }
}

// Rows [0, mc) of C's block (c) += their rows of A (a; arows: the whole MR tiles packed, or
// null to read them from a) times one kc x nc panel of B (b), packed into `packed` first.
static void panel(const float *a, int rsa, int csa, const float *arows, const float *b, int rsb,
                  int csb, float *c, int ldc, int mc, int kc, int nc, float *packed, int acc) {
  const int nv = nc - nc % NR;
  pack_panel(packed, b, rsb, csb, kc, nv);
  for (int i = 0; i < mc; i += MR) {
    const int rows = min_int(MR, mc - i);
    const float *ai = a + i * rsa;
    float *ci = c + i * ldc;
    if (rows == MR && arows)
      for (int j = 0; j < nv; j += NR) tile_rows(MR, arows + i * kc, 1, MR, packed + j * kc, ci + j, ldc, kc, acc);
    else
      for (int j = 0; j < nv; j += NR) tile_rows(rows, ai, rsa, csa, packed + j * kc, ci + j, ldc, kc, acc);
    if (nv < nc)
      for (int r = 0; r < rows; r++)
        row_1xn(ai + r * rsa, csa, b + nv * csb, rsb, csb, ci + r * ldc + nv, nc - nv, kc, acc);
  }
}

// C = A·B (C += A·B when accumulate), B[k, j] = B[k·rsb + j·csb]. packed: this thread's
// GEMM_SCRATCH_FLOATS floats (the panel of B, then up to GEMM_A_ROWS packed rows of A).
// For each k block, the rows of A are packed once and serve every panel of B; the panel's
// block of C stays in cache while the rows pass over it. (Packing A per panel instead cost
// ~4% of a 1024 product: four scalar passes over A.) Each element of C still sums its k
// blocks in order, so the results do not depend on the blocking.
void sgemm(const float *A, int rsa, int csa, const float *B, int rsb, int csb, float *C, int ldc,
           int M, int K, int N, float *packed, int accumulate) {
  float *arows = packed + KC * NC;
  // Rows of A are packed where a panel has more than two strips to reuse them: for one or two
  // the pack cost more than it saved (16384×32 by 32×32: 664 → 415 µs unpacked, 2048×512 by
  // 512×16: 994 → 419 µs, one thread); the tiles then read A through its strides, the same
  // arithmetic.
  const int pack_a = min_int(NC, N) > 2 * NR;
  // Blocks of rows of equal height (whole tiles): 1024 rows as 1020 + 4 would pack all of B
  // again for the last 4.
  const int blocks = (M + GEMM_A_ROWS - 1) / GEMM_A_ROWS;
  const int rows = ((M + blocks - 1) / blocks + MR - 1) / MR * MR;
  for (int m0 = 0; m0 < M; m0 += rows) {
    const int mc = min_int(rows, M - m0);
    for (int k0 = 0; k0 < K; k0 += KC) {
      const int kc = min_int(KC, K - k0);
      const int acc = accumulate || k0 > 0;
      const float *a0 = A + m0 * rsa + k0 * csa;
      if (pack_a)
        for (int i = 0; i + MR <= mc; i += MR) pack_rows(arows + i * kc, a0 + i * rsa, rsa, csa, kc);
      for (int j0 = 0; j0 < N; j0 += NC)
        panel(a0, rsa, csa, pack_a ? arows : 0, B + k0 * rsb + j0 * csb, rsb, csb, C + m0 * ldc + j0,
              ldc, mc, kc, min_int(NC, N - j0), packed, acc);
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

// C[r, c] (+)= a_r · b_c over kb values for r < rows (1 or 2), c < cols (1 to 4): eight
// independent sums, so no FMA waits for the previous one. Fewer than 4 columns compute copies
// of the first and store only theirs (every column's arithmetic is the same either way).
static void dot_2x4(const float *a, int lda, int rows, const float *b, int ldb, int cols, float *c,
                    int ldc, int kb, int acc) {
  const float *a1 = rows > 1 ? a + lda : a;
  const float *bq[4];
  UNROLL for (int q = 0; q < 4; q++) bq[q] = b + (q < cols ? q : 0) * ldb;
  vf s0[4], s1[4];
  UNROLL for (int q = 0; q < 4; q++) s0[q] = s1[q] = vzero();
  int k = 0;
  for (; k + VW <= kb; k += VW) {
    const vf x0 = vload(a + k), x1 = vload(a1 + k);
    UNROLL for (int q = 0; q < 4; q++) {
      const vf y = vload(bq[q] + k);
      s0[q] = vmadd(x0, y, s0[q]);
      s1[q] = vmadd(x1, y, s1[q]);
    }
  }
  float t0[4], t1[4];
  UNROLL for (int q = 0; q < 4; q++) t0[q] = vsum(s0[q]), t1[q] = vsum(s1[q]);
  for (; k < kb; k++)
    UNROLL for (int q = 0; q < 4; q++) {
      t0[q] = smadd(a[k], bq[q][k], t0[q]);
      t1[q] = smadd(a1[k], bq[q][k], t1[q]);
    }
  UNROLL for (int q = 0; q < 4; q++) if (q < cols) c[q] = acc ? t0[q] + c[q] : t0[q];
  if (rows < 2) return;
  UNROLL for (int q = 0; q < 4; q++) if (q < cols) c[ldc + q] = acc ? t1[q] + c[ldc + q] : t1[q];
}

// C = A·Btᵀ (C += A·Btᵀ when accumulate); Bt is [N, K] with leading dimension ldb.
void sgemm_nt(const float *A, int lda, const float *Bt, int ldb, float *C, int ldc, int M, int K,
              int N, int accumulate) {
  for (int k0 = 0; k0 < K; k0 += KB) {
    const int kb = min_int(KB, K - k0);
    const int acc = accumulate || k0 > 0;
    for (int j0 = 0; j0 < N; j0 += NB) {
      const int nb = min_int(NB, N - j0);
      for (int i = 0; i < M; i += 2) {
        const int rows = min_int(2, M - i);
        const float *a = A + i * lda + k0;
        float *c = C + i * ldc + j0;
        for (int j = 0; j < nb; j += 4)
          dot_2x4(a, lda, rows, Bt + (j0 + j) * ldb + k0, ldb, min_int(4, nb - j), c + j, ldc, kb, acc);
      }
    }
  }
}
