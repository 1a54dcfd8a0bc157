// gather and scatterAdd over float32 values and int32 indices for the native addon, on the
// rows that ../indexing.ts lays out: row r starts at i0[r] in the index, t0[r] in the target
// (the operand indexed along `dim`, its dim coordinate dropped) and o0[r] in the other operand,
// and runs `inner` elements with steps (si, st, so). gather: other[o] = target[t + k·stride];
// scatterAdd: target[t + k·stride] += other[o], k the index value. Every row is checked
// against its arrays first and every k against [0, size), so a wrong argument is a JavaScript
// error or a refusal, never a crash.
#include <node_api.h>
#include "indexing.h"
#include "napi-args.h"

typedef struct {
  long count, inner, si, st, so, size, stride;
} Rows;

// Whether the run from `start`, `n` elements `step` apart, lies in [0, len).
static int run_fits(double start, double n, double step, double len) {
  const double end = start + (n - 1) * step;
  return start >= 0 && end >= 0 && start < len && end < len;
}

// 1 when every k is in range (then the values are written), 0 at the first that is not.
static int gather_rows(const Rows *g, const int *i0, const int *t0, const int *o0, const int *ind,
                       const float *target, float *other, int scatter) {
  for (long r = 0; r < g->count; r++) {
    long i = i0[r], t = t0[r], o = o0[r];
    for (long j = 0; j < g->inner; j++, i += g->si, t += g->st, o += g->so) {
      const long k = ind[i];
      if (k < 0 || k >= g->size) return 0;
      if (scatter)
        ((float *)target)[t + k * g->stride] += other[o];
      else
        other[o] = target[t + k * g->stride];
    }
  }
  return 1;
}

// (target Float32Array, index Int32Array, other Float32Array, i0, t0, o0 Int32Array,
//  params Float64Array [count, inner, si, st, so, size, stride, scatter]) → true, or false
// when an index is out of range (the caller then reports which).
static napi_value gather_or_scatter(napi_env env, napi_callback_info info) {
  napi_value result;
  size_t len[7];
  void *data[7];
  static const napi_typedarray_type types[7] = {napi_float32_array, napi_int32_array,
                                                 napi_float32_array, napi_int32_array,
                                                 napi_int32_array,  napi_int32_array,
                                                 napi_float64_array};
  if (!typed_args(env, info, 7, types, data, len))
    return native_throw(env, "gatherRows(target, index, other, i0, t0, o0, params)");
  const double *p = data[6];
  if (len[6] < 8) return native_throw(env, "gatherRows: params too short");
  const Rows g = {(long)p[0], (long)p[1], (long)p[2], (long)p[3], (long)p[4], (long)p[5], (long)p[6]};
  const int *i0 = data[3], *t0 = data[4], *o0 = data[5];
  if (g.count < 0 || g.inner < 1 || g.size < 1 || g.stride < 0 || (size_t)g.count > len[3] ||
      (size_t)g.count > len[4] || (size_t)g.count > len[5])
    return native_throw(env, "gatherRows: bad row layout");
  for (long r = 0; r < g.count; r++)
    if (!run_fits(i0[r], g.inner, g.si, len[1]) || !run_fits(o0[r], g.inner, g.so, len[2]) ||
        !run_fits(t0[r], g.inner, g.st, len[0]) ||
        !run_fits(t0[r] + (g.size - 1.0) * g.stride, g.inner, g.st, len[0]))
      return native_throw(env, "gatherRows: operands out of their arrays' bounds");
  const int ok = gather_rows(&g, i0, t0, o0, data[1], data[0], data[2], p[7] != 0);
  napi_get_boolean(env, ok, &result);
  return result;
}

int register_indexing(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gatherRows", NULL, gather_or_scatter, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props) == napi_ok;
}
