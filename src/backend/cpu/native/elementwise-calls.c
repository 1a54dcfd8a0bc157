// The Node-API calls of the elementwise kernels (../kernels/elementwise.c): binary, unary,
// where and compare, each split into chunks of the flat output on pool.c's threads. Every call
// checks the elements it will read and write against the arrays' lengths (a JavaScript error,
// never a crash).
#include <node_api.h>
#include "elementwise-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/vec.h"
#include "../kernels/elementwise.h"

// Chunks of whole vectors of the flat output (the arithmetic of an element does not depend on
// its chunk). Below EW_MIN_CHUNK elements a chunk is not worth a thread.
#define EW_MIN_CHUNK 16384

typedef enum { EW_BINARY, EW_UNARY, EW_WHERE, EW_COMPARE } EwKind;

typedef struct {
  EwKind kind;
  int op, stream;
  EwCond c;
  EwOperand a, b;
  float *out;
  unsigned char *bytes;  // the output of a comparison
  long inner, n, per_chunk;
} EwJob;

static void ew_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const EwJob *j = ctx;
  const long start = c * j->per_chunk, end = start + j->per_chunk < j->n ? start + j->per_chunk : j->n;
  if (j->kind == EW_UNARY)
    unary_run(j->op, j->a.p + start, j->out + start, end - start, j->stream);
  else if (j->kind == EW_WHERE)
    where_range(j->c, j->a, j->b, j->out, j->inner, start, end);
  else if (j->kind == EW_COMPARE)
    compare_range(j->op, j->a, j->b, j->bytes, j->inner, start, end);
  else
    binary_range(j->op, j->a, j->b, j->out, j->inner, start, end, j->stream);
  if (j->stream) vstream_fence();  // the streamed lines land before the chunk reports done
}

static napi_value ew_run(napi_env env, EwJob *j, int threads) {
  threads = threads < 1 ? 1 : threads;
  const long per = j->per_chunk = pool_chunk_size(j->n, threads, EW_MIN_CHUNK, 64);
  j->stream = (j->kind == EW_BINARY || j->kind == EW_UNARY) &&
              j->n * (long)sizeof(float) >= EW_STREAM_BYTES;
  return native_number(env, pool_run(ew_chunk, j, (int)((j->n + per - 1) / per), threads));
}

// Whether an input read as (r, c) -> p[off + r·so + c·si] over [outer, inner] (params off, so,
// si; si 0 or 1) stays within len elements.
static int layout_fits(const double *p, size_t len, long outer, long inner) {
  const long so = (long)p[1];
  const int si = (int)p[2];
  return so >= 0 && (si == 0 || si == 1) && fits(p[0], (outer - 1.0) * so + (inner - 1.0) * si, len);
}

static int operand(EwOperand *o, float *arr, size_t len, const double *p, long outer, long inner) {
  if (!layout_fits(p, len, outer, inner)) return 0;
  *o = (EwOperand){arr + (long)p[0], (long)p[1], (int)p[2]};
  return 1;
}

// binary's and compare's job from their shared params (op, aOff, aSo, aSi, bOff, bSo, bSi,
// outOff, outer, inner, threads) and arrays, the output `outlen` long; 0 when out of bounds.
static int two_operand_job(EwJob *j, EwKind kind, int ops, float *a, size_t alen, float *b,
                           size_t blen, size_t outlen, const double *p) {
  const int op = (int)p[0];
  const long outer = (long)p[8], inner = (long)p[9];
  *j = (EwJob){.kind = kind, .op = op, .inner = inner, .n = outer * inner};
  return op >= 0 && op < ops && outer >= 1 && inner >= 1 &&
         operand(&j->a, a, alen, p + 1, outer, inner) &&
         operand(&j->b, b, blen, p + 4, outer, inner) && fits(p[7], j->n - 1.0, outlen);
}

// params: op, aOff, aSo, aSi, bOff, bSo, bSi, outOff, outer, inner, threads.
static napi_value binary(napi_env env, napi_callback_info info) {
  float *a[3];
  size_t len[3];
  double *p;
  if (!float_args(env, info, 3, a, len, &p, 11)) return native_throw(env, "binary(a, b, out, params)");
  EwJob j;
  if (!two_operand_job(&j, EW_BINARY, EW_BINARY_OPS, a[0], len[0], a[1], len[1], len[2], p))
    return native_throw(env, "binary: bad op or operands out of their arrays' bounds");
  j.out = a[2] + (long)p[7];
  return ew_run(env, &j, (int)p[10]);
}

// params: op, aOff, outOff, n, threads.
static napi_value unary(napi_env env, napi_callback_info info) {
  float *a[2];
  size_t len[2];
  double *p;
  if (!float_args(env, info, 2, a, len, &p, 5)) return native_throw(env, "unary(a, out, params)");
  const int op = (int)p[0];
  EwJob j = {.kind = EW_UNARY, .op = op, .n = (long)p[3], .inner = 1};
  if (op < 0 || op >= EW_UNARY_OPS || j.n < 1 || !fits(p[1], j.n - 1.0, len[0]) ||
      !fits(p[2], j.n - 1.0, len[1]))
    return native_throw(env, "unary: bad op or operands out of their arrays' bounds");
  j.a.p = a[0] + (long)p[1];
  j.out = a[1] + (long)p[2];
  return ew_run(env, &j, (int)p[4]);
}

// params: cOff, cSo, cSi, aOff, aSo, aSi, bOff, bSo, bSi, outOff, outer, inner, threads. The
// condition is a Uint8Array (a bool tensor's 0/1 bytes).
static napi_value where(napi_env env, napi_callback_info info) {
  static const napi_typedarray_type types[5] = {napi_uint8_array, napi_float32_array,
                                                 napi_float32_array, napi_float32_array,
                                                 napi_float64_array};
  size_t len[5];
  void *data[5];
  if (!typed_args(env, info, 5, types, data, len) || len[4] < 13)
    return native_throw(env, "where(cond, a, b, out, params)");
  const double *p = data[4];
  const long outer = (long)p[10], inner = (long)p[11];
  EwJob j = {.kind = EW_WHERE, .inner = inner, .n = outer * inner};
  if (outer < 1 || inner < 1 || !layout_fits(p, len[0], outer, inner) ||
      !operand(&j.a, data[1], len[1], p + 3, outer, inner) ||
      !operand(&j.b, data[2], len[2], p + 6, outer, inner) || !fits(p[9], j.n - 1.0, len[3]))
    return native_throw(env, "where: operands out of their arrays' bounds");
  j.c = (EwCond){(const unsigned char *)data[0] + (long)p[0], (long)p[1], (int)p[2]};
  j.out = (float *)data[3] + (long)p[9];
  return ew_run(env, &j, (int)p[12]);
}

// params as binary's, op a comparison (elementwise.h); out a Uint8Array (a bool tensor).
static napi_value compare(napi_env env, napi_callback_info info) {
  static const napi_typedarray_type types[4] = {napi_float32_array, napi_float32_array,
                                                 napi_uint8_array, napi_float64_array};
  size_t len[4];
  void *data[4];
  if (!typed_args(env, info, 4, types, data, len) || len[3] < 11)
    return native_throw(env, "compare(a, b, out, params)");
  const double *p = data[3];
  EwJob j;
  if (!two_operand_job(&j, EW_COMPARE, EW_COMPARE_OPS, data[0], len[0], data[1], len[1], len[2], p))
    return native_throw(env, "compare: bad op or operands out of their arrays' bounds");
  j.bytes = (unsigned char *)data[2] + (long)p[7];
  return ew_run(env, &j, (int)p[10]);
}

int register_elementwise(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"binary", NULL, binary, NULL, NULL, NULL, napi_default, NULL},
      {"unary", NULL, unary, NULL, NULL, NULL, napi_default, NULL},
      {"where", NULL, where, NULL, NULL, NULL, napi_default, NULL},
      {"compare", NULL, compare, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof *props, props) == napi_ok;
}
