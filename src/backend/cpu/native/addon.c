// The native CPU kernels as a Node-API addon (built by scripts/build-native.mjs, loaded by
// native.ts): the GEMM of ../kernels/gemm.c, im2col/col2im/windowArgmax of ../kernels/windows.c,
// the sums of ../kernels/reduce.c and batch norm of ../kernels/norm.c (conv2d, the cells,
// gather rows, the elementwise ops, copies and optimizer updates register from conv.c, lstm.c,
// gru.c, indexing.c, elementwise-calls.c, copy.c, optim-calls.c, chain-calls.c and extreme-calls.c), compiled for
// AVX2+FMA and run on pool.c's threads straight on the tensors' typed arrays (no copies).
// Every call checks that the elements it will touch lie inside the arrays, so a wrong
// argument is a JavaScript error, never a crash. Context-aware (NAPI_MODULE_INIT): it loads
// in worker_threads too.
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include "pool.h"
#include "../kernels/vec.h"
#include "../kernels/gemm.h"
#include "../kernels/grid.h"
#include "../kernels/windows.h"
#include "../kernels/elementwise.h"
#include "../kernels/reduce.h"
#include "cells.h"
#include "indexing.h"
#include "conv.h"
#include "napi-args.h"
#include "elementwise-calls.h"
#include "copy.h"
#include "optim-calls.h"
#include "chain-calls.h"
#include "extreme-calls.h"
#include "../kernels/norm.h"

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) return native_throw(env, "napi call failed"); \
  } while (0)


// ---- GEMM: C (+)= A·B or A·Btᵀ, split into a grid of chunks of C.
typedef struct {
  const float *A, *B;
  float *C;
  long rsa, csa, ldb, ldc;
  int M, K, N, bt, acc;
  GemmGrid grid;  // chunks of C (gemm_grid)
  int dots;  // Bᵀ by dot products (sgemm_nt, GEMM_BY_DOTS)
} GemmJob;

static int min_int(int a, int b) { return a < b ? a : b; }

static void gemm_chunk(void *ctx, int c, float *scratch) {
  const GemmJob *j = ctx;
  const GemmGrid *g = &j->grid;
  const int m0 = (c / g->grid_columns) * g->rows, n0 = (c % g->grid_columns) * g->cols;
  const int M = min_int(g->rows, j->M - m0), N = min_int(g->cols, j->N - n0);
  const float *A = j->A + m0 * j->rsa;
  const float *B = j->B + (j->bt ? n0 * j->ldb : n0);
  float *C = j->C + m0 * j->ldc + n0;
  if (j->dots)
    sgemm_nt(A, j->rsa, B, j->ldb, C, j->ldc, M, j->K, N, j->acc);
  else if (j->bt)
    sgemm(A, j->rsa, j->csa, B, 1, j->ldb, C, j->ldc, M, j->K, N, scratch, j->acc);
  else
    sgemm(A, j->rsa, j->csa, B, j->ldb, 1, C, j->ldc, M, j->K, N, scratch, j->acc);
}

static napi_value gemm(napi_env env, napi_callback_info info) {
  float *a[3];
  size_t len[3];
  double *p;
  if (!float_args(env, info, 3, a, len, &p, 13)) return native_throw(env, "gemm(A, B, C, params)");
  GemmJob j = {.rsa = (long)p[1], .csa = (long)p[2], .ldb = (long)p[4], .bt = p[5] != 0,
               .ldc = (long)p[7], .M = (int)p[8], .K = (int)p[9], .N = (int)p[10], .acc = p[11] != 0};
  const int threads = (int)p[12];
  if (j.M <= 0 || j.N <= 0 || j.K <= 0 || j.rsa < 0 || j.csa < 0 || j.ldb < 0 || j.ldc < j.N ||
      !fits(p[0], (j.M - 1.0) * j.rsa + (j.K - 1.0) * j.csa, len[0]) ||
      !fits(p[3], j.bt ? (j.N - 1.0) * j.ldb + j.K - 1 : (j.K - 1.0) * j.ldb + j.N - 1, len[1]) ||
      !fits(p[6], (j.M - 1.0) * j.ldc + j.N - 1, len[2]))
    return native_throw(env, "gemm: operands out of their arrays' bounds");
  j.A = a[0] + (long)p[0], j.B = a[1] + (long)p[3], j.C = a[2] + (long)p[6];
  // Decided for the whole product, never per chunk: each element's arithmetic must not
  // depend on the thread split.
  // A one-column B with contiguous k is its own transpose: dot products too.
  if (!j.bt && j.N == 1 && j.ldb == 1) j.bt = 1, j.ldb = j.K;
  j.dots = j.bt && j.csa == 1 && GEMM_BY_DOTS(j.M, j.N);
  j.grid = gemm_grid(j.M, j.N, threads);
  return native_number(env, pool_run(gemm_chunk, &j, j.grid.chunks, threads));
}

// ---- im2col / col2im, chunks of channels.
typedef struct {
  Windows g;
  const float *src;
  float *dst;
  float pad;
  int per_chunk, col2im;
} WindowsJob;

static void windows_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const WindowsJob *j = ctx;
  const int c0 = c * j->per_chunk, c1 = min_int(j->g.C, c0 + j->per_chunk);
  if (j->col2im)
    col2im_channels(j->src, j->dst, &j->g, c0, c1);
  else
    im2col_channels(j->src, j->dst, &j->g, c0, c1, j->pad);
}

// Positive sizes, steps and dilations, no negative padding or image stride.
static int valid_windows(const Windows *g) {
  return g->N >= 1 && g->C >= 1 && g->H >= 1 && g->W >= 1 && g->kh >= 1 && g->kw >= 1 &&
         g->sh >= 1 && g->sw >= 1 && g->dh >= 1 && g->dw >= 1 && g->ph >= 0 && g->pw >= 0 &&
         g->OH >= 1 && g->OW >= 1 && g->sN >= 0 && g->sC >= 0 && g->sH >= 0 && g->sW >= 0;
}

// params: srcOff, dstOff, N, C, H, W, sN, sC, sH, sW, kh, kw, sh, sw, dh, dw, ph, pw, OH, OW,
// pad, threads (col2im: the image strides are its contiguous ones).
static napi_value windows(napi_env env, napi_callback_info info, int col2im) {
  float *a[2];
  size_t len[2];
  double *p;
  if (!float_args(env, info, 2, a, len, &p, 22)) return native_throw(env, "im2col/col2im(src, dst, params)");
  Windows g = {(int)p[2], (int)p[3], (int)p[4], (int)p[5], (long)p[6], (long)p[7], (long)p[8],
               (long)p[9], (int)p[10], (int)p[11], (int)p[12], (int)p[13], (int)p[14], (int)p[15],
               (int)p[16], (int)p[17], (int)p[18], (int)p[19]};
  const double cols = (double)g.C * g.kh * g.kw * g.N * g.OH * g.OW;
  const double image = (g.N - 1.0) * g.sN + (g.C - 1.0) * g.sC + (g.H - 1.0) * g.sH + (g.W - 1.0) * g.sW;
  if (!valid_windows(&g) || !fits(p[0], col2im ? cols - 1 : image, len[0]) ||
      !fits(p[1], col2im ? image : cols - 1, len[1]))
    return native_throw(env, "im2col/col2im: operands out of their arrays' bounds");
  const int threads = (int)p[21] < 1 ? 1 : (int)p[21];
  WindowsJob j = {g, a[0] + (long)p[0], a[1] + (long)p[1], (float)p[20], 0, col2im};
  j.per_chunk = (g.C + threads * 4 - 1) / (threads * 4);
  const int chunks = (g.C + j.per_chunk - 1) / j.per_chunk;
  return native_number(env, pool_run(windows_chunk, &j, chunks, threads));
}

// ---- windowArgmax (max pooling), chunks of image planes.
typedef struct {
  Windows g;
  const float *src;
  int *dst;
  const int *ow_range;
  long per_chunk, planes;
} ArgmaxJob;

static void argmax_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const ArgmaxJob *j = ctx;
  const long p0 = c * j->per_chunk, p1 = p0 + j->per_chunk < j->planes ? p0 + j->per_chunk : j->planes;
  window_argmax_planes(j->src, j->dst, &j->g, j->ow_range, p0, p1);
}

// (x Float32Array, idx Int32Array, params: the windows' params, pad unused).
static napi_value window_argmax(napi_env env, napi_callback_info info) {
  static const napi_typedarray_type types[3] = {napi_float32_array, napi_int32_array,
                                                 napi_float64_array};
  size_t len[3];
  void *data[3];
  if (!typed_args(env, info, 3, types, data, len) || len[2] < 22)
    return native_throw(env, "windowArgmax(x, idx, params)");
  const double *p = data[2];
  Windows g = {(int)p[2], (int)p[3], (int)p[4], (int)p[5], (long)p[6], (long)p[7], (long)p[8],
               (long)p[9], (int)p[10], (int)p[11], (int)p[12], (int)p[13], (int)p[14], (int)p[15],
               (int)p[16], (int)p[17], (int)p[18], (int)p[19]};
  const double planes = (double)g.N * g.C;
  const double image = (g.N - 1.0) * g.sN + (g.C - 1.0) * g.sC + (g.H - 1.0) * g.sH + (g.W - 1.0) * g.sW;
  if (!valid_windows(&g) || (double)g.H * g.W > 2147483647.0 ||
      !fits(p[0], image, len[0]) || !fits(p[1], planes * g.OH * g.OW - 1, len[1]))
    return native_throw(env, "windowArgmax: operands out of their arrays' bounds");
  const int threads = (int)p[21] < 1 ? 1 : (int)p[21];
  int *ow_range = malloc(2 * sizeof(int) * g.kw);
  if (!ow_range) return native_throw(env, "windowArgmax: out of memory");
  window_ow_ranges(&g, ow_range);
  ArgmaxJob j = {g, (const float *)data[0] + (long)p[0], (int *)data[1] + (long)p[1], ow_range, 0,
                 (long)planes};
  j.per_chunk = (j.planes + threads * 4 - 1) / (threads * 4);
  const int chunks = (int)((j.planes + j.per_chunk - 1) / j.per_chunk);
  const int by_workers = pool_run(argmax_chunk, &j, chunks, threads);
  free(ow_range);
  return native_number(env, by_workers);
}

static napi_value im2col(napi_env env, napi_callback_info info) { return windows(env, info, 0); }
static napi_value col2im(napi_env env, napi_callback_info info) { return windows(env, info, 1); }

// ---- Sums: tasks of sum_plan grouped into chunks (grouping never changes a task's sum).
typedef struct {
  const SumPlan *plan;
  long tasks, per_chunk;
} SumJob;

static void sum_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const SumJob *j = ctx;
  const long t0 = c * j->per_chunk, t1 = t0 + j->per_chunk < j->tasks ? t0 + j->per_chunk : j->tasks;
  sum_tasks_run(j->plan, t0, t1);
}

// params: xOff, outOff, outer, R, inner, threads, groups. out[outer / groups · inner] = x
// [outer, R, inner] summed over R, then over groups of outer ([groups, outer / groups]).
static napi_value sum(napi_env env, napi_callback_info info) {
  float *a[2];
  size_t len[2];
  double *p;
  if (!float_args(env, info, 2, a, len, &p, 7)) return native_throw(env, "sum(x, out, params)");
  const long outer = (long)p[2], R = (long)p[3], inner = (long)p[4], groups = (long)p[6];
  if (outer < 1 || R < 1 || inner < 1 || groups < 1 || outer % groups != 0 ||
      !fits(p[0], (double)outer * R * inner - 1, len[0]) ||
      !fits(p[1], (double)(outer / groups) * inner - 1, len[1]))
    return native_throw(env, "sum: operands out of their arrays' bounds");
  SumPlan plan;
  sum_plan(&plan, a[0] + (long)p[0], outer, R, inner, groups);
  plan.partials = malloc(sizeof(double) * sum_partials(&plan));
  if (!plan.partials) return native_throw(env, "sum: out of memory for the partial sums");
  const int threads = (int)p[5] < 1 ? 1 : (int)p[5];
  SumJob j = {&plan, sum_tasks(&plan), 0};
  const long target = threads == 1 ? 1 : threads * 8;
  j.per_chunk = (j.tasks + target - 1) / target;
  while ((j.tasks + j.per_chunk - 1) / j.per_chunk > 65535) j.per_chunk *= 2;
  const int by_workers = pool_run(sum_chunk, &j, (int)((j.tasks + j.per_chunk - 1) / j.per_chunk), threads);
  sum_finish(&plan, a[1] + (long)p[1]);
  free(plan.partials);
  return native_number(env, by_workers);
}

// ---- Batch norm (channelMoments, batchNormTrain, batchNormTrainGrad), chunks of channels.
typedef struct {
  const float *x, *stats, *w, *third;  // third: β (apply) or the output gradient (grad)
  float *out;
  double eps;
  NormShape d;
  long per_chunk;
  int kind;  // 0 moments, 1 apply, 2 grad
} NormJob;

static void norm_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const NormJob *j = ctx;
  const long c0 = c * j->per_chunk, c1 = c0 + j->per_chunk < j->d.C ? c0 + j->per_chunk : j->d.C;
  if (j->kind == 0)
    channel_moments(j->x, j->out, &j->d, c0, c1);
  else if (j->kind == 1)
    batch_norm_apply(j->x, j->stats, j->w, j->third, j->out, j->eps, &j->d, c0, c1);
  else
    batch_norm_grad(j->x, j->stats, j->w, j->third, j->out, j->eps, &j->d, c0, c1);
}

// moments (x, out, params) or apply/grad (x, stats, w, b|g, out, params); params: the arrays'
// offsets, then N, C, S, eps, threads.
static napi_value norm(napi_env env, napi_callback_info info, int kind) {
  const int arrays = kind == 0 ? 2 : 5;
  float *a[5];
  size_t len[5];
  double *p;
  if (!float_args(env, info, arrays, a, len, &p, arrays + 5)) return native_throw(env, "batch norm: (arrays..., params)");
  const double N = p[arrays], C = p[arrays + 1], S = p[arrays + 2], size = N * C * S;
  const double spans[5] = {size - 1, 2 * C - 1, C - 1, kind == 1 ? C - 1 : size - 1, 0};
  int ok = N >= 1 && C >= 1 && S >= 1 && size < 1e15;
  for (int i = 0; ok && i < arrays - 1; i++) ok = fits(p[i], kind == 0 ? size - 1 : spans[i], len[i]);
  const double out_span = kind == 0 ? 2 * C - 1 : kind == 1 ? size - 1 : size + 2 * C - 1;
  if (!ok || !fits(p[arrays - 1], out_span, len[arrays - 1]))
    return native_throw(env, "batch norm: operands out of their arrays' bounds");
  NormJob j = {.eps = p[arrays + 3], .d = {(long)N, (long)C, (long)S}, .kind = kind};
  j.x = a[0] + (long)p[0];
  if (kind) j.stats = a[1] + (long)p[1], j.w = a[2] + (long)p[2], j.third = a[3] + (long)p[3];
  j.out = a[arrays - 1] + (long)p[arrays - 1];
  const int threads = (int)p[arrays + 4] < 1 ? 1 : (int)p[arrays + 4];
  // About four chunks per thread, each whole groups of channels (the kernels' sums run
  // NORM_GROUP channels side by side).
  j.per_chunk = ((long)C + threads * 4 - 1) / (threads * 4);
  j.per_chunk = (j.per_chunk + NORM_GROUP - 1) / NORM_GROUP * NORM_GROUP;
  const int chunks = (int)(((long)C + j.per_chunk - 1) / j.per_chunk);
  return native_number(env, pool_run(norm_chunk, &j, chunks, threads));
}

static napi_value moments(napi_env env, napi_callback_info info) { return norm(env, info, 0); }
static napi_value bn_apply(napi_env env, napi_callback_info info) { return norm(env, info, 1); }
static napi_value bn_grad(napi_env env, napi_callback_info info) { return norm(env, info, 2); }

static napi_value workers(napi_env env, napi_callback_info info) {
  (void)info;
  return native_number(env, pool_workers());
}

NAPI_MODULE_INIT() {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma"))
    return native_throw(env, "this CPU lacks AVX2 or FMA, which the native build needs");
  napi_property_descriptor props[] = {
      {"gemm", NULL, gemm, NULL, NULL, NULL, napi_default, NULL},
      {"im2col", NULL, im2col, NULL, NULL, NULL, napi_default, NULL},
      {"col2im", NULL, col2im, NULL, NULL, NULL, napi_default, NULL},
      {"sum", NULL, sum, NULL, NULL, NULL, napi_default, NULL},
      {"windowArgmax", NULL, window_argmax, NULL, NULL, NULL, napi_default, NULL},
      {"channelMoments", NULL, moments, NULL, NULL, NULL, napi_default, NULL},
      {"batchNormTrain", NULL, bn_apply, NULL, NULL, NULL, napi_default, NULL},
      {"batchNormTrainGrad", NULL, bn_grad, NULL, NULL, NULL, napi_default, NULL},
      {"workers", NULL, workers, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_value kernel;
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof *props, props));
  if (!register_lstm(env, exports) || !register_gru(env, exports) ||
      !register_indexing(env, exports) || !register_conv(env, exports) ||
      !register_elementwise(env, exports) || !register_copy(env, exports) ||
      !register_optim(env, exports) || !register_chain(env, exports) ||
      !register_extreme(env, exports))
    return native_throw(env, "napi call failed");
  CHECK(napi_create_string_utf8(env, KERNEL_NAME, NAPI_AUTO_LENGTH, &kernel));
  CHECK(napi_set_named_property(env, exports, "kernel", kernel));
  return exports;
}
