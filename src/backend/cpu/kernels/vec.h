// The few vector operations the GEMM kernels need, per target, so that one gemm.c serves the
// WebAssembly SIMD128 build (the portable floor, browser included) and the native AVX2+FMA
// build (scripts/build-native.mjs). Each target also picks its register tile: MR rows of C by
// NV vectors of VW floats, sized to its 16 vector registers (MR·NV accumulators + NV loads of
// B + 1 broadcast of A).
//
// Every element of C is computed by the same sequence of vmadd (or smadd in the scalar edges),
// k in order, whatever tile or thread holds it: results do not depend on M, N tiling or the
// thread split. smadd matches vmadd per lane (a fused multiply-add where vmadd fuses), and the
// native build is compiled with -ffp-contract=off so the compiler adds no other fusion.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
typedef v128_t vf;
#define VW 4
#define MR 4
#define NV 2
static inline vf vload(const float *p) { return wasm_v128_load(p); }
static inline void vstore(float *p, vf v) { wasm_v128_store(p, v); }
static inline vf vsplat(float x) { return wasm_f32x4_splat(x); }
// No FMA in SIMD128: a multiply then an add (relaxed SIMD's madd may or may not fuse).
static inline vf vmadd(vf a, vf b, vf c) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }
static inline float smadd(float a, float b, float c) { return c + a * b; }
static inline float vsum(vf v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) +
         (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}
// dst[r·ldd + c] = src[c·lds + r] for a VW x VW block (packing a transposed B).
static inline void vtranspose(const float *src, int lds, float *dst, int ldd) {
  const v128_t r0 = vload(src), r1 = vload(src + lds), r2 = vload(src + 2 * lds), r3 = vload(src + 3 * lds);
  const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
  const v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
  vstore(dst, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
  vstore(dst + ldd, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
  vstore(dst + 2 * ldd, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
  vstore(dst + 3 * ldd, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
}
#define KERNEL_NAME "wasm-simd"

#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
typedef __m256 vf;
#define VW 8
#define MR 6
#define NV 2
static inline vf vload(const float *p) { return _mm256_loadu_ps(p); }
static inline void vstore(float *p, vf v) { _mm256_storeu_ps(p, v); }
static inline vf vsplat(float x) { return _mm256_set1_ps(x); }
static inline vf vmadd(vf a, vf b, vf c) { return _mm256_fmadd_ps(a, b, c); }
static inline float smadd(float a, float b, float c) { return __builtin_fmaf(a, b, c); }
static inline float vsum(vf v) {
  const __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  const __m128 q = _mm_add_ps(h, _mm_movehl_ps(h, h));
  return _mm_cvtss_f32(_mm_add_ss(q, _mm_movehdup_ps(q)));
}
// dst[r·ldd + c] = src[c·lds + r] for a VW x VW block (packing a transposed B).
static inline void vtranspose(const float *src, int lds, float *dst, int ldd) {
  __m256 r[8], t[8], u[8];
  for (int i = 0; i < 8; i++) r[i] = vload(src + i * lds);
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    u[i] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], _MM_SHUFFLE(3, 2, 3, 2));
    u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(1, 0, 1, 0));
    u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], _MM_SHUFFLE(3, 2, 3, 2));
  }
  for (int i = 0; i < 4; i++) {
    vstore(dst + i * ldd, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
    vstore(dst + (i + 4) * ldd, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
  }
}
#define KERNEL_NAME "native-avx2"

#else
#error "vec.h: build for wasm32 with -msimd128, or for x86-64 with -mavx2 -mfma"
#endif

// Columns of C one micro-kernel call covers, and the width of a packed strip of B.
#define NR (NV * VW)
static inline vf vzero(void) { return vsplat(0.0f); }
