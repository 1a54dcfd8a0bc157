// The LSTM cell's row loops (the same equations as ../lstm-cell.ts) for the native addon,
// eight hidden units at a time with AVX2: σ and tanh through one vector exp (vmath.h)
// instead of the TypeScript loops' scalar table exp. Rows of the gate
// projections gi, gh are [i | f | g | o], each H wide; c, h, ∂h, ∂c are [rows, H].
#include "cells.h"
#include "napi-args.h"
#include "vmath.h"

typedef struct {
  __m256 i, f, g, o;
} Gates;

static inline Gates gates_at(const float *gi, const float *gh, int H, __m256i mask) {
  Gates q;
  q.i = vsigmoid(_mm256_add_ps(LOAD(gi), LOAD(gh)));
  q.f = vsigmoid(_mm256_add_ps(LOAD(gi + H), LOAD(gh + H)));
  q.g = vtanh(_mm256_add_ps(LOAD(gi + 2 * H), LOAD(gh + 2 * H)));
  q.o = vsigmoid(_mm256_add_ps(LOAD(gi + 3 * H), LOAD(gh + 3 * H)));
  return q;
}

void lstm_rows_forward(const float *gi, const float *gh, const float *c, float *h_out,
                       float *c_out, int rows, int H) {
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < H; j += 8) {
      const __m256i mask = lanes(H - j < 8 ? H - j : 8);
      const long k = 4L * H * r + j, e = (long)H * r + j;
      const Gates q = gates_at(gi + k, gh + k, H, mask);
      const __m256 cn = _mm256_add_ps(_mm256_mul_ps(q.f, LOAD(c + e)), _mm256_mul_ps(q.i, q.g));
      STORE(c_out + e, cn);
      STORE(h_out + e, _mm256_mul_ps(q.o, vtanh(cn)));
    }
}

void lstm_rows_backward(const float *gi, const float *gh, const float *c, const float *dh,
                        const float *dc, float *d_gates, float *dc_prev, int rows, int H) {
  const __m256 one = _mm256_set1_ps(1.0f);
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < H; j += 8) {
      const __m256i mask = lanes(H - j < 8 ? H - j : 8);
      const long k = 4L * H * r + j, e = (long)H * r + j;
      const Gates q = gates_at(gi + k, gh + k, H, mask);
      const __m256 cv = LOAD(c + e), dhv = LOAD(dh + e);
      const __m256 t = vtanh(_mm256_add_ps(_mm256_mul_ps(q.f, cv), _mm256_mul_ps(q.i, q.g)));
      const __m256 dce = _mm256_add_ps(
          LOAD(dc + e), _mm256_mul_ps(_mm256_mul_ps(dhv, q.o), _mm256_sub_ps(one, _mm256_mul_ps(t, t))));
      const __m256 di = _mm256_mul_ps(_mm256_mul_ps(dce, q.g), _mm256_mul_ps(q.i, _mm256_sub_ps(one, q.i)));
      const __m256 df = _mm256_mul_ps(_mm256_mul_ps(dce, cv), _mm256_mul_ps(q.f, _mm256_sub_ps(one, q.f)));
      const __m256 dg = _mm256_mul_ps(_mm256_mul_ps(dce, q.i), _mm256_sub_ps(one, _mm256_mul_ps(q.g, q.g)));
      const __m256 d_o = _mm256_mul_ps(_mm256_mul_ps(dhv, t), _mm256_mul_ps(q.o, _mm256_sub_ps(one, q.o)));
      STORE(d_gates + k, di);
      STORE(d_gates + k + H, df);
      STORE(d_gates + k + 2 * H, dg);
      STORE(d_gates + k + 3 * H, d_o);
      STORE(dc_prev + e, _mm256_mul_ps(dce, q.f));
    }
}

// ---- Node-API: lstmRows(gi, gh, c, hOut, cOut, params) and lstmRowsGrad(gi, gh, c, dh, dc,
// dGates, dcPrev, params), each array with an element offset in params (arrays may repeat);
// every span is checked against its array's length, so a wrong argument is a JavaScript
// error, never a crash.

int cell_args(napi_env env, napi_callback_info info, int n, const int *span, float **arr,
                     int *rows, int *H) {
  napi_value argv[8];
  size_t argc = 8, len;
  void *data;
  double *p;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || (int)argc != n + 1 ||
      !typed_array(env, argv[n], napi_float64_array, &data, &len) || len < (size_t)(2 + n))
    return 0;
  p = data;
  *rows = (int)p[0];
  *H = (int)p[1];
  if (*rows < 0 || *H < 1) return 0;
  for (int i = 0; i < n; i++) {
    if (!typed_array(env, argv[i], napi_float32_array, &data, &len)) return 0;
    const double off = p[2 + i], need = (double)span[i] * *rows * *H;
    if (off < 0 || off + need > (double)len) return 0;
    arr[i] = (float *)data + (long)off;
  }
  return 1;
}

static napi_value lstm_rows(napi_env env, napi_callback_info info) {
  static const int span[] = {4, 4, 1, 1, 1};  // gi, gh, c, h', c'
  float *a[5];
  int rows, H;
  if (!cell_args(env, info, 5, span, a, &rows, &H))
    return native_throw(env, "lstmRows(gi, gh, c, hOut, cOut, [rows, H, offsets]): bad operands or bounds");
  lstm_rows_forward(a[0], a[1], a[2], a[3], a[4], rows, H);
  return NULL;
}

static napi_value lstm_rows_grad(napi_env env, napi_callback_info info) {
  static const int span[] = {4, 4, 1, 1, 1, 4, 1};  // gi, gh, c, ∂h, ∂c, ∂gates, ∂c_prev
  float *a[7];
  int rows, H;
  if (!cell_args(env, info, 7, span, a, &rows, &H))
    return native_throw(env, "lstmRowsGrad(gi, gh, c, dh, dc, dGates, dcPrev, [rows, H, offsets]): bad operands or bounds");
  lstm_rows_backward(a[0], a[1], a[2], a[3], a[4], a[5], a[6], rows, H);
  return NULL;
}

int register_lstm(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"lstmRows", NULL, lstm_rows, NULL, NULL, NULL, napi_default, NULL},
      {"lstmRowsGrad", NULL, lstm_rows_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 2, props) == napi_ok;
}
