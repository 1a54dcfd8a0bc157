// adamSteps / sgdSteps (ops/optim-steps.ts): one call updates every parameter of a list, its
// elements split into chunks across the pool's threads as one concatenated range, so a model
// of many small tensors pays one call and one wake-up per step instead of one per parameter.
//
// Arguments: (arrays, out, params). arrays: a JavaScript array of 4 Float32Arrays per
// parameter (θ, g, m, v: SGD passes g again where it has no m or v). params, a Float64Array:
//   [k, threads, c0..c7, then per parameter: θ off, g off, m off, v off, n, out off, fresh]
// with c the update's constants (AdamConsts or SgdConsts, in their order). Every span is
// checked against its array before anything runs: a wrong argument throws, never crashes.
#include <stdlib.h>
#include "optim-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/optim.h"

#define HEADER 10
#define PER_SEGMENT 7
// Elements per chunk: a few hundred microseconds of work, so threads pay for their wake-up.
#define STEP_CHUNK 16384

typedef struct {
  StepSegment *seg;
  int k, sgd;
  long total, per_chunk;
  AdamConsts adam;
  SgdConsts sgd_consts;
} StepsJob;

static void steps_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const StepsJob *j = ctx;
  const long i0 = c * j->per_chunk, i1 = i0 + j->per_chunk < j->total ? i0 + j->per_chunk : j->total;
  if (j->sgd) sgd_steps(j->seg, j->k, i0, i1, &j->sgd_consts);
  else adam_steps(j->seg, j->k, i0, i1, &j->adam);
}

// The i-th Float32Array of the list and its length; 0 when it is not one.
static int list_array(napi_env env, napi_value list, uint32_t i, float **data, size_t *len) {
  napi_value v;
  return napi_get_element(env, list, i, &v) == napi_ok &&
         typed_array(env, v, napi_float32_array, (void **)data, len);
}

// Reads and bounds-checks one parameter's record; 0 when a span does not fit.
static int read_segment(napi_env env, napi_value list, int s, const double *r, double width,
                        float *out, size_t out_len, StepSegment *seg) {
  float *a[4];
  size_t len[4];
  const double n = r[4];
  if (n < 0 || n > 1e15 || n != (long)n) return 0;
  for (int q = 0; q < 4; q++)
    if (!list_array(env, list, (uint32_t)(4 * s + q), &a[q], &len[q]) ||
        (n > 0 && !fits(r[q], n - 1, len[q])))
      return 0;
  if (n > 0 && !fits(r[5], width * n - 1, out_len)) return 0;
  *seg = (StepSegment){a[0] + (long)r[0], a[1] + (long)r[1], a[2] + (long)r[2],
                       a[3] + (long)r[3], out + (long)r[5], (long)n, 0, r[6] != 0};
  return 1;
}

static napi_value steps(napi_env env, napi_callback_info info, int sgd) {
  const char *usage = sgd ? "sgdSteps(arrays, out, params)" : "adamSteps(arrays, out, params)";
  napi_value argv[3];
  size_t argc = 3;
  uint32_t count;
  bool is_list;
  float *out;
  double *p;
  size_t out_len, np;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3 ||
      napi_is_array(env, argv[0], &is_list) != napi_ok || !is_list ||
      napi_get_array_length(env, argv[0], &count) != napi_ok ||
      !typed_array(env, argv[1], napi_float32_array, (void **)&out, &out_len) ||
      !typed_array(env, argv[2], napi_float64_array, (void **)&p, &np) || np < HEADER)
    return native_throw(env, usage);
  const double k = p[0];
  if (k < 1 || k > 1e7 || k != (int)k || count != 4 * k || np < HEADER + PER_SEGMENT * k)
    return native_throw(env, sgd ? "sgdSteps: parameter list and records disagree"
                                 : "adamSteps: parameter list and records disagree");
  // SGD writes θ' and, with momentum, the buffer; Adam θ', m' and v'.
  const double width = sgd ? (p[7] != 0 ? 2 : 1) : 3;
  StepsJob j = {malloc(sizeof(StepSegment) * (size_t)k), (int)k, sgd, 0, STEP_CHUNK,
                {p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]},
                {p[2], p[3], p[4], p[5], p[6], (int)p[7]}};
  if (!j.seg) return native_throw(env, "optimizer step: out of memory");
  for (int s = 0; s < j.k; s++) {
    if (!read_segment(env, argv[0], s, p + HEADER + PER_SEGMENT * s, width, out, out_len,
                      &j.seg[s])) {
      free(j.seg);
      return native_throw(env, sgd ? "sgdSteps: operands out of their arrays' bounds"
                                   : "adamSteps: operands out of their arrays' bounds");
    }
    j.seg[s].start = j.total;
    j.total += j.seg[s].n;
  }
  while ((j.total + j.per_chunk - 1) / j.per_chunk > 65535) j.per_chunk *= 2;
  const int chunks = (int)((j.total + j.per_chunk - 1) / j.per_chunk);
  const int threads = (int)p[1] < 1 ? 1 : (int)p[1];
  const int ran = chunks > 0 ? pool_run(steps_chunk, &j, chunks, chunks > 1 ? threads : 1) : 0;
  free(j.seg);
  return native_number(env, ran);
}

static napi_value adam_call(napi_env env, napi_callback_info info) { return steps(env, info, 0); }
static napi_value sgd_call(napi_env env, napi_callback_info info) { return steps(env, info, 1); }

int register_optim(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"adamSteps", NULL, adam_call, NULL, NULL, NULL, napi_default, NULL},
      {"sgdSteps", NULL, sgd_call, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 2, props) == napi_ok;
}
