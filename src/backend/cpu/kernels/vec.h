// The few vector operations the GEMM, elementwise and sum kernels need, per target, so that
// one set of C sources serves the WebAssembly SIMD128 build (the portable floor, browser
// included) and the native AVX2+FMA build (scripts/build-native.mjs). Each target also picks
// its register tile: MR rows of C by NV vectors of VW floats, sized to its 16 vector
// registers (MR·NV accumulators + NV loads of B + 1 broadcast of A).
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
// No non-temporal stores in SIMD128: a plain store (see the AVX2 vstream).
#define VSTREAM_ALIGN 16
static inline void vstream(float *p, vf v) { wasm_v128_store(p, v); }
static inline void vstream_fence(void) {}
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
// Elementwise arithmetic (elementwise.c), each lane as JavaScript computes one float32 element:
// a single IEEE operation, so float32 SIMD equals float64-then-round; max/min propagate NaN
// and order -0 below +0, as Math.max/Math.min do (wasm's f32x4.max/min already do).
static inline vf vadd(vf a, vf b) { return wasm_f32x4_add(a, b); }
static inline vf vsub(vf a, vf b) { return wasm_f32x4_sub(a, b); }
static inline vf vmul(vf a, vf b) { return wasm_f32x4_mul(a, b); }
static inline vf vdiv(vf a, vf b) { return wasm_f32x4_div(a, b); }
static inline vf vmaximum(vf a, vf b) { return wasm_f32x4_max(a, b); }
static inline vf vminimum(vf a, vf b) { return wasm_f32x4_min(a, b); }
static inline vf vneg(vf a) { return wasm_f32x4_neg(a); }
static inline vf vabs(vf a) { return wasm_f32x4_abs(a); }
static inline vf vsqrt(vf a) { return wasm_f32x4_sqrt(a); }
// a where a > 0 or a is NaN, else +0 (-0 included).
static inline vf vrelu(vf a) {
  return wasm_v128_and(a, wasm_v128_or(wasm_f32x4_gt(a, vsplat(0)), wasm_f32x4_ne(a, a)));
}
// 1 where b > 0, else 0.
static inline vf vstep(vf b) { return wasm_v128_and(wasm_f32x4_gt(b, vsplat(0)), vsplat(1)); }
// a where c > 0, else b (a NaN c takes b).
static inline vf vwhere_pos(vf c, vf a, vf b) { return wasm_v128_bitselect(a, b, wasm_f32x4_gt(c, vsplat(0))); }
// Sums in float64 (reduce.c): vd holds VW / 2 doubles; vdacc adds VW floats to lo and hi.
typedef v128_t vd;
static inline vd vdzero(void) { return wasm_f64x2_splat(0); }
static inline vd vdadd(vd a, vd b) { return wasm_f64x2_add(a, b); }
static inline void vdacc(const float *p, vd *lo, vd *hi) {
  const vf x = vload(p);
  *lo = wasm_f64x2_add(*lo, wasm_f64x2_promote_low_f32x4(x));
  *hi = wasm_f64x2_add(*hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(x, x, 2, 3, 0, 1)));
}
static inline vd vdload(const double *p) { return wasm_v128_load(p); }
static inline void vdstore(double *p, vd v) { wasm_v128_store(p, v); }
static inline double vdsum(vd v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }
#define VDW 2
#define KERNEL_NAME "wasm-simd"

#elif defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
typedef __m256 vf;
#define VW 8
#define MR 6
#define NV 2
static inline vf vload(const float *p) { return _mm256_loadu_ps(p); }
static inline void vstore(float *p, vf v) { _mm256_storeu_ps(p, v); }
// A non-temporal store (p aligned to VSTREAM_ALIGN bytes): the line goes to memory without
// being read first, for outputs too large to stay in the cache. vstream_fence orders the
// streamed lines before whatever the thread does next (telling the caller it finished).
#define VSTREAM_ALIGN 32
static inline void vstream(float *p, vf v) { _mm256_stream_ps(p, v); }
static inline void vstream_fence(void) { _mm_sfence(); }
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
// Elementwise arithmetic (elementwise.c), each lane as JavaScript computes one float32 element:
// a single IEEE operation, so float32 SIMD equals float64-then-round; max/min propagate NaN
// and order -0 below +0, as Math.max/Math.min do (maxps alone returns its second operand for
// a NaN or two zeros: equal lanes take a & b (max) or a | b (min), unordered ones a + b).
static inline vf vadd(vf a, vf b) { return _mm256_add_ps(a, b); }
static inline vf vsub(vf a, vf b) { return _mm256_sub_ps(a, b); }
static inline vf vmul(vf a, vf b) { return _mm256_mul_ps(a, b); }
static inline vf vdiv(vf a, vf b) { return _mm256_div_ps(a, b); }
static inline vf vmaximum(vf a, vf b) {
  vf m = _mm256_blendv_ps(_mm256_max_ps(a, b), _mm256_and_ps(a, b), _mm256_cmp_ps(a, b, _CMP_EQ_OQ));
  return _mm256_blendv_ps(m, _mm256_add_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
}
static inline vf vminimum(vf a, vf b) {
  vf m = _mm256_blendv_ps(_mm256_min_ps(a, b), _mm256_or_ps(a, b), _mm256_cmp_ps(a, b, _CMP_EQ_OQ));
  return _mm256_blendv_ps(m, _mm256_add_ps(a, b), _mm256_cmp_ps(a, b, _CMP_UNORD_Q));
}
static inline vf vneg(vf a) { return _mm256_xor_ps(a, vsplat(-0.0f)); }
static inline vf vabs(vf a) { return _mm256_andnot_ps(vsplat(-0.0f), a); }
static inline vf vsqrt(vf a) { return _mm256_sqrt_ps(a); }
// a where a > 0 or a is NaN, else +0 (-0 included).
static inline vf vrelu(vf a) {
  const vf keep = _mm256_or_ps(_mm256_cmp_ps(a, vsplat(0), _CMP_GT_OQ), _mm256_cmp_ps(a, a, _CMP_UNORD_Q));
  return _mm256_and_ps(a, keep);
}
// 1 where b > 0, else 0.
static inline vf vstep(vf b) { return _mm256_and_ps(_mm256_cmp_ps(b, vsplat(0), _CMP_GT_OQ), vsplat(1)); }
// a where c > 0, else b (a NaN c takes b).
static inline vf vwhere_pos(vf c, vf a, vf b) { return _mm256_blendv_ps(b, a, _mm256_cmp_ps(c, vsplat(0), _CMP_GT_OQ)); }
// Sums in float64 (reduce.c): vd holds VW / 2 doubles; vdacc adds VW floats to lo and hi.
typedef __m256d vd;
static inline vd vdzero(void) { return _mm256_setzero_pd(); }
static inline vd vdadd(vd a, vd b) { return _mm256_add_pd(a, b); }
static inline void vdacc(const float *p, vd *lo, vd *hi) {
  const vf x = vload(p);
  *lo = _mm256_add_pd(*lo, _mm256_cvtps_pd(_mm256_castps256_ps128(x)));
  *hi = _mm256_add_pd(*hi, _mm256_cvtps_pd(_mm256_extractf128_ps(x, 1)));
}
static inline vd vdload(const double *p) { return _mm256_loadu_pd(p); }
static inline void vdstore(double *p, vd v) { _mm256_storeu_pd(p, v); }
static inline double vdsum(vd v) {
  const __m128d h = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}
#define VDW 4
#define KERNEL_NAME "native-avx2"

#else
#error "vec.h: build for wasm32 with -msimd128, or for x86-64 with -mavx2 -mfma"
#endif

// Columns of C one micro-kernel call covers, and the width of a packed strip of B.
#define NR (NV * VW)
static inline vf vzero(void) { return vsplat(0.0f); }
