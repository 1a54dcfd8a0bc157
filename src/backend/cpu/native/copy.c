// A strided view copied into a contiguous array (the CPU backend's copy op: contiguous(),
// reshape of a permuted view, a broadcast materialised), for the native addon. Elements are
// 4-byte values moved as bits (float32 or int32 alike), chunks of the flat output split over
// pool.c's threads. The caller collapses the dims first (size-1 dims dropped, dims that run
// contiguously into each other merged), so the innermost dim is the longest run possible:
// stride 1 copies it as a block, stride 0 repeats one value, any other gathers.
#include <stdint.h>
#include <string.h>
#include "copy.h"
#include "napi-args.h"
#include "pool.h"

#define COPY_MAX_DIMS 8
#define COPY_MIN_CHUNK 16384

typedef struct {
  const uint32_t *src;
  uint32_t *out;
  long shape[COPY_MAX_DIMS], strides[COPY_MAX_DIMS];
  int nd;
  long n, per_chunk;
} CopyJob;

// One run of the innermost dim: n elements from p, `stride` apart.
static void copy_run(uint32_t *o, const uint32_t *p, long stride, long n) {
  if (stride == 1)
    memcpy(o, p, (size_t)n * sizeof *o);
  else if (stride == 0)
    for (long i = 0; i < n; i++) o[i] = *p;
  else
    for (long i = 0; i < n; i++) o[i] = p[i * stride];
}

static void copy_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const CopyJob *j = ctx;
  const int last = j->nd - 1;
  long i = c * j->per_chunk;
  const long end = i + j->per_chunk < j->n ? i + j->per_chunk : j->n;
  // The multi-index of element i, and its source position.
  long idx[COPY_MAX_DIMS], at = 0, rest = i;
  for (int d = last; d >= 0; d--) {
    idx[d] = rest % j->shape[d];
    rest /= j->shape[d];
    at += idx[d] * j->strides[d];
  }
  while (i < end) {
    const long run = j->shape[last] - idx[last] < end - i ? j->shape[last] - idx[last] : end - i;
    copy_run(j->out + i, j->src + at, j->strides[last], run);
    i += run;
    at += run * j->strides[last];
    idx[last] += run;
    // Carry into the outer dims.
    for (int d = last; d > 0 && idx[d] == j->shape[d]; d--) {
      at -= idx[d] * j->strides[d];
      idx[d] = 0;
      idx[d - 1]++;
      at += j->strides[d - 1];
    }
  }
}

// stridedCopy(src, out, params): src and out both Float32Arrays or both Int32Arrays; params
// [srcOffset, outOffset, nd, shape × nd, strides × nd, threads] (strides >= 0).
static napi_value strided_copy(napi_env env, napi_callback_info info) {
  static const napi_typedarray_type floats[3] = {napi_float32_array, napi_float32_array,
                                                  napi_float64_array};
  static const napi_typedarray_type ints[3] = {napi_int32_array, napi_int32_array,
                                                napi_float64_array};
  size_t len[3];
  void *data[3];
  if (!typed_args(env, info, 3, floats, data, len) && !typed_args(env, info, 3, ints, data, len))
    return native_throw(env,
                        "stridedCopy(src, out, params): src and out both Float32Arrays or Int32Arrays");
  const double *p = data[2];
  const size_t plen = len[2];
  if (plen < 4) return native_throw(env, "stridedCopy: params too short");
  CopyJob j = {.nd = (int)p[2], .n = 1};
  if (j.nd < 1 || j.nd > COPY_MAX_DIMS || plen < (size_t)(4 + 2 * j.nd))
    return native_throw(env, "stridedCopy: 1 to 8 dims");
  double span = 0;
  for (int d = 0; d < j.nd; d++) {
    j.shape[d] = (long)p[3 + d];
    j.strides[d] = (long)p[3 + j.nd + d];
    if (j.shape[d] < 1 || j.strides[d] < 0) return native_throw(env, "stridedCopy: bad layout");
    span += (j.shape[d] - 1.0) * j.strides[d];
    j.n *= j.shape[d];
  }
  if (!fits(p[0], span, len[0]) || !fits(p[1], j.n - 1.0, len[1]))
    return native_throw(env, "stridedCopy: operands out of their arrays' bounds");
  j.src = (const uint32_t *)data[0] + (long)p[0];
  j.out = (uint32_t *)data[1] + (long)p[1];
  const int threads = (int)p[3 + 2 * j.nd];
  j.per_chunk = pool_chunk_size(j.n, threads, COPY_MIN_CHUNK, 1);
  const int chunks = (int)((j.n + j.per_chunk - 1) / j.per_chunk);
  return native_number(env, pool_run(copy_chunk, &j, chunks, threads < 1 ? 1 : threads));
}

int register_copy(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"stridedCopy", NULL, strided_copy, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props) == napi_ok;
}
