// extreme(x, out, params): max, min, argmax or argmin (../kernels/extremes.h) of a contiguous
// float32 x [outer, R, inner] over R, split into tasks across pool.c's threads: blocks of
// whole runs when inner is 1, else strips of EXT_COLUMNS output columns of one outer index.
// out is a Float32Array (max, min) or an Int32Array (argmax, argmin). params, a
// Float64Array: [op, x offset, out offset, outer, R, inner, threads]. Every span is checked
// before anything runs: a wrong argument throws, never crashes.
#include "extreme-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/extremes.h"

// Elements per task of runs (inner == 1): enough work to pay for a thread's wake-up.
#define RUN_TASK_ELEMENTS 16384

typedef struct {
  int op;
  const float *x;
  float *vals;
  int *idx;
  long outer, R, inner, strips, runs_per_task;
} ExtremeJob;

static void extreme_chunk(void *ctx, int t, float *scratch) {
  (void)scratch;
  const ExtremeJob *j = ctx;
  if (j->inner == 1) {
    const long o0 = t * j->runs_per_task, o1 = o0 + j->runs_per_task;
    extreme_runs(j->op, j->x, j->R, o0, o1 < j->outer ? o1 : j->outer, j->vals, j->idx);
  } else {
    const long o = t / j->strips, c0 = (t % j->strips) * EXT_COLUMNS;
    const long c1 = c0 + EXT_COLUMNS < j->inner ? c0 + EXT_COLUMNS : j->inner;
    extreme_columns(j->op, j->x, j->R, j->inner, o, c0, c1, j->vals, j->idx);
  }
}

static napi_value extreme(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  size_t argc = 3;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 3)
    return native_throw(env, "extreme(x, out, params)");
  void *x, *out, *params;
  size_t xlen, outlen, plen;
  if (!typed_array(env, argv[0], napi_float32_array, &x, &xlen) ||
      !typed_array(env, argv[2], napi_float64_array, &params, &plen) || plen < 7)
    return native_throw(env, "extreme(x, out, params)");
  const double *p = params;
  const int op = (int)p[0];
  const int arg = op == EXT_ARGMAX || op == EXT_ARGMIN;
  if (op < 0 || op >= EXT_OPS ||
      !typed_array(env, argv[1], arg ? napi_int32_array : napi_float32_array, &out, &outlen))
    return native_throw(env, "extreme: bad op, or out is not a Float32Array (Int32Array for argmax/argmin)");
  ExtremeJob j = {.op = op, .outer = (long)p[3], .R = (long)p[4], .inner = (long)p[5]};
  if (j.outer < 1 || j.R < 1 || j.inner < 1 ||
      !fits(p[1], (double)j.outer * j.R * j.inner - 1, xlen) ||
      !fits(p[2], (double)j.outer * j.inner - 1, outlen))
    return native_throw(env, "extreme: operands out of their arrays' bounds");
  j.x = (const float *)x + (long)p[1];
  if (arg)
    j.idx = (int *)out + (long)p[2];
  else
    j.vals = (float *)out + (long)p[2];
  long tasks;
  if (j.inner == 1) {
    j.runs_per_task = RUN_TASK_ELEMENTS / j.R < 1 ? 1 : RUN_TASK_ELEMENTS / j.R;
    tasks = (j.outer + j.runs_per_task - 1) / j.runs_per_task;
  } else {
    j.strips = (j.inner + EXT_COLUMNS - 1) / EXT_COLUMNS;
    tasks = j.outer * j.strips;
  }
  if (tasks > 65535) return native_throw(env, "extreme: more than 65535 tasks");
  const int threads = p[6] < 1 ? 1 : (int)p[6];
  return native_number(env, pool_run(extreme_chunk, &j, (int)tasks, threads));
}

int register_extreme(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"extreme", NULL, extreme, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props) == napi_ok;
}
