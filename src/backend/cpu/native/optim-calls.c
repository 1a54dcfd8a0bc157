// adamSteps / sgdSteps / rmspropSteps / adagradSteps (ops/optim-steps.ts): one call updates
// every parameter of a list, its elements split into chunks across the pool's threads as one
// concatenated range, so a model of many small tensors pays one call and one wake-up per step
// instead of one per parameter.
//
// Arguments: (arrays, out, params). arrays: a JavaScript array of 5 Float32Arrays per
// parameter (θ, g, m, v, b of ../kernels/optim.h; an update passes g again for those it does
// not read). params, a Float64Array:
//   [k, threads, width, c0..c7, then per parameter: θ, g, m, v, b offsets, n, out off, fresh]
// with width the values each element's results take in out and c the update's constants
// (its struct's order in optim.h). Every span is checked against its array before anything
// runs: a wrong argument throws, never crashes.
#include <stdio.h>
#include <stdlib.h>
#include "optim-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/optim.h"

#define HEADER 11
#define OPERANDS 5
#define PER_SEGMENT (OPERANDS + 3)
// Elements per chunk at least: a few hundred microseconds of work, so threads pay for their
// wake-up.
#define STEP_CHUNK 16384

typedef struct {
  StepSegment *seg;
  int k, kind;
  long total, per_chunk;
  const double *consts;
} StepsJob;

static void steps_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const StepsJob *j = ctx;
  const long i0 = c * j->per_chunk, i1 = i0 + j->per_chunk < j->total ? i0 + j->per_chunk : j->total;
  optim_steps(j->kind, j->seg, j->k, i0, i1, j->consts);
}

static const char *const NAMES[] = {"adamSteps", "sgdSteps", "rmspropSteps", "adagradSteps"};

// The i-th Float32Array of the list and its length; 0 when it is not one.
static int list_array(napi_env env, napi_value list, uint32_t i, float **data, size_t *len) {
  napi_value v;
  return napi_get_element(env, list, i, &v) == napi_ok &&
         typed_array(env, v, napi_float32_array, (void **)data, len);
}

// Reads and bounds-checks one parameter's record; 0 when a span does not fit.
static int read_segment(napi_env env, napi_value list, int s, const double *r, double width,
                        float *out, size_t out_len, StepSegment *seg) {
  float *a[OPERANDS];
  size_t len[OPERANDS];
  const double n = r[OPERANDS];
  if (n < 0 || n > 1e15 || n != (long)n) return 0;
  for (int q = 0; q < OPERANDS; q++)
    if (!list_array(env, list, (uint32_t)(OPERANDS * s + q), &a[q], &len[q]) ||
        (n > 0 && !fits(r[q], n - 1, len[q])))
      return 0;
  if (n > 0 && !fits(r[OPERANDS + 1], width * n - 1, out_len)) return 0;
  *seg = (StepSegment){a[0] + (long)r[0], a[1] + (long)r[1], a[2] + (long)r[2],
                       a[3] + (long)r[3], a[4] + (long)r[4], out + (long)r[OPERANDS + 1],
                       (long)n, 0, r[OPERANDS + 2] != 0};
  return 1;
}

// An error message naming the call: "<name>: <what>".
static napi_value steps_throw(napi_env env, int kind, const char *what) {
  char msg[160];
  snprintf(msg, sizeof msg, "%s%s", NAMES[kind], what);
  return native_throw(env, msg);
}

static napi_value steps(napi_env env, napi_callback_info info, int kind) {
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
    return steps_throw(env, kind, "(arrays, out, params)");
  const double k = p[0], width = p[2];
  if (k < 1 || k > 1e7 || k != (int)k || count != OPERANDS * k || np < HEADER + PER_SEGMENT * k ||
      width < 1 || width > 4 || width != (int)width)
    return steps_throw(env, kind, ": parameter list and records disagree");
  StepsJob j = {malloc(sizeof(StepSegment) * (size_t)k), (int)k, kind, 0, 0, p + 3};
  if (!j.seg) return steps_throw(env, kind, ": out of memory");
  for (int s = 0; s < j.k; s++) {
    if (!read_segment(env, argv[0], s, p + HEADER + PER_SEGMENT * s, width, out, out_len,
                      &j.seg[s])) {
      free(j.seg);
      return steps_throw(env, kind, ": operands out of their arrays' bounds");
    }
    j.seg[s].start = j.total;
    j.total += j.seg[s].n;
  }
  const int threads = (int)p[1] < 1 ? 1 : (int)p[1];
  j.per_chunk = pool_chunk_size(j.total, threads, STEP_CHUNK, 1);
  const int chunks = (int)((j.total + j.per_chunk - 1) / j.per_chunk);
  const int ran = chunks > 0 ? pool_run(steps_chunk, &j, chunks, chunks > 1 ? threads : 1) : 0;
  free(j.seg);
  return native_number(env, ran);
}

static napi_value adam_call(napi_env env, napi_callback_info info) {
  return steps(env, info, STEP_ADAM);
}
static napi_value sgd_call(napi_env env, napi_callback_info info) {
  return steps(env, info, STEP_SGD);
}
static napi_value rmsprop_call(napi_env env, napi_callback_info info) {
  return steps(env, info, STEP_RMSPROP);
}
static napi_value adagrad_call(napi_env env, napi_callback_info info) {
  return steps(env, info, STEP_ADAGRAD);
}

int register_optim(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"adamSteps", NULL, adam_call, NULL, NULL, NULL, napi_default, NULL},
      {"sgdSteps", NULL, sgd_call, NULL, NULL, NULL, napi_default, NULL},
      {"rmspropSteps", NULL, rmsprop_call, NULL, NULL, NULL, napi_default, NULL},
      {"adagradSteps", NULL, adagrad_call, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, sizeof props / sizeof *props, props) == napi_ok;
}
