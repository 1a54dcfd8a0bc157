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
#define KERNEL_NAME "native-avx2"

#else
#error "vec.h: build for wasm32 with -msimd128, or for x86-64 with -mavx2 -mfma"
#endif

// Columns of C one micro-kernel call covers, and the width of a packed strip of B.
#define NR (NV * VW)
static inline vf vzero(void) { return vsplat(0.0f); }
