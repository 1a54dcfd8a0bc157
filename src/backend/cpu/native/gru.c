// The GRU cell's row loops (the same equations as ../gru-cell.ts) for the native addon, eight
// hidden units at a time with AVX2 (vmath.h's σ and tanh). Rows of the gate projections gi,
// gh are [r | z | n], each H wide (gh includes b_hh); h, h', ∂h are [rows, H].
#include "cells.h"
#include "napi-args.h"
#include "vmath.h"

typedef struct {
  __m256 r, z, n, ghn;
} Gates;

static inline Gates gates_at(const float *gi, const float *gh, int H, __m256i mask) {
  Gates q;
  q.r = vsigmoid(_mm256_add_ps(LOAD(gi), LOAD(gh)));
  q.z = vsigmoid(_mm256_add_ps(LOAD(gi + H), LOAD(gh + H)));
  q.ghn = LOAD(gh + 2 * H);
  q.n = vtanh(_mm256_fmadd_ps(q.r, q.ghn, LOAD(gi + 2 * H)));
  return q;
}

void gru_rows_forward(const float *gi, const float *gh, const float *h, float *h_out, int rows,
                      int H) {
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < H; j += 8) {
      const __m256i mask = lanes(H - j < 8 ? H - j : 8);
      const long k = 3L * H * r + j, e = (long)H * r + j;
      const Gates q = gates_at(gi + k, gh + k, H, mask);
      STORE(h_out + e, _mm256_fmadd_ps(q.z, _mm256_sub_ps(LOAD(h + e), q.n), q.n));
    }
}

void gru_rows_backward(const float *gi, const float *gh, const float *h, const float *dh,
                       float *d_gi, float *d_gh, float *dh_prev, int rows, int H) {
  const __m256 one = _mm256_set1_ps(1.0f);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < H; j += 8) {
      const __m256i mask = lanes(H - j < 8 ? H - j : 8);
      const long k = 3L * H * r + j, e = (long)H * r + j;
      const Gates q = gates_at(gi + k, gh + k, H, mask);
      const __m256 g = LOAD(dh + e);
      const __m256 dn = _mm256_mul_ps(_mm256_mul_ps(g, _mm256_sub_ps(one, q.z)),
                                      _mm256_sub_ps(one, _mm256_mul_ps(q.n, q.n)));
      const __m256 dr = _mm256_mul_ps(_mm256_mul_ps(dn, q.ghn),
                                      _mm256_mul_ps(q.r, _mm256_sub_ps(one, q.r)));
      const __m256 dz = _mm256_mul_ps(_mm256_mul_ps(g, _mm256_sub_ps(LOAD(h + e), q.n)),
                                      _mm256_mul_ps(q.z, _mm256_sub_ps(one, q.z)));
      STORE(d_gi + k, dr);
      STORE(d_gi + k + H, dz);
      STORE(d_gi + k + 2 * H, dn);
      STORE(d_gh + k, dr);
      STORE(d_gh + k + H, dz);
      STORE(d_gh + k + 2 * H, _mm256_mul_ps(dn, q.r));
      STORE(dh_prev + e, _mm256_mul_ps(g, q.z));
    }
}

// ---- Node-API: gruRows(gi, gh, h, hOut, params) and gruRowsGrad(gi, gh, h, dh, dGi, dGh,
// dhPrev, params), params as cells.h's cell_args reads them.

static napi_value gru_rows(napi_env env, napi_callback_info info) {
  static const int span[] = {3, 3, 1, 1};  // gi, gh, h, h'
  float *a[4];
  int rows, H;
  if (!cell_args(env, info, 4, span, a, &rows, &H))
    return native_throw(env, "gruRows(gi, gh, h, hOut, [rows, H, offsets]): bad operands or bounds");
  gru_rows_forward(a[0], a[1], a[2], a[3], rows, H);
  return NULL;
}

static napi_value gru_rows_grad(napi_env env, napi_callback_info info) {
  static const int span[] = {3, 3, 1, 1, 3, 3, 1};  // gi, gh, h, ∂h', ∂gi, ∂gh, ∂h
  float *a[7];
  int rows, H;
  if (!cell_args(env, info, 7, span, a, &rows, &H))
    return native_throw(
        env, "gruRowsGrad(gi, gh, h, dh, dGi, dGh, dhPrev, [rows, H, offsets]): bad operands or bounds");
  gru_rows_backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], rows, H);
  return NULL;
}

int register_gru(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gruRows", NULL, gru_rows, NULL, NULL, NULL, napi_default, NULL},
      {"gruRowsGrad", NULL, gru_rows_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 2, props) == napi_ok;
}
