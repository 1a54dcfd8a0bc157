// conv2d's forward and backward passes for the native addon: ../kernels/conv.c's blocks (image,
// channel group, block of output positions) spread over pool.c's threads, each thread laying
// out its block's columns in a buffer of its own that it keeps between calls.
#include <stdatomic.h>
#include <stdlib.h>
#include "conv.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/conv.h"
#include "../kernels/vec.h"

typedef struct {
  ConvGeom g;
  const float *x, *w, *bias;
  float *y;
  ConvBlocks b;
  int blocks_per_image;  // blocks per (image group, channel group)
  int rows_per_part, parts;  // output channels of a group split in parts (few blocks, many channels)
  long blocks, per_chunk;
  atomic_int failed;  // a thread could not get its columns buffer
} ConvJob;

static _Thread_local float *columns;
static _Thread_local size_t columns_floats;

// This thread's buffer of at least n floats, or NULL when out of memory.
static float *columns_buffer(size_t n) {
  if (columns_floats >= n) return columns;
  free(columns);
  columns = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
  columns_floats = columns ? n : 0;
  return columns;
}

static void conv_chunk(void *ctx, int c, float *scratch) {
  ConvJob *j = ctx;
  const ConvGeom *g = &j->g;
  const int P = g->OH * g->OW, k = j->b.images, width = j->b.width;
  float *cols = columns_buffer((size_t)conv2d_buffer_floats(g, j->b));
  if (!cols || !scratch) {
    atomic_store(&j->failed, 1);
    return;
  }
  const long b1 = (c + 1) * j->per_chunk < j->blocks ? (c + 1) * j->per_chunk : j->blocks;
  const int Og = g->O / g->G;
  for (long b = c * j->per_chunk; b < b1; b++) {
    const int part = (int)(b % j->parts);
    const long block = b / j->parts;
    const long images_group = block / j->blocks_per_image;  // (image group, channel group)
    const int n = (int)(images_group / g->G) * k, grp = (int)(images_group % g->G);
    const int p0 = (int)(block % j->blocks_per_image) * width;
    const int nb = P - p0 < width ? P - p0 : width;
    const int o0 = part * j->rows_per_part;
    const int o1 = o0 + j->rows_per_part < Og ? o0 + j->rows_per_part : Og;
    if (o0 < o1)
      conv2d_block(g, j->x, j->w, j->bias, j->y, n, g->N - n < k ? g->N - n : k, grp, o0, o1, p0,
                   nb, cols, scratch);
  }
}

static int valid(const ConvGeom *g) {
  return g->N >= 1 && g->C >= 1 && g->H >= 1 && g->W >= 1 && g->O >= 1 && g->G >= 1 &&
         g->C % g->G == 0 && g->O % g->G == 0 && g->kh >= 1 && g->kw >= 1 && g->sh >= 1 &&
         g->sw >= 1 && g->dh >= 1 && g->dw >= 1 && g->ph >= 0 && g->pw >= 0 && g->OH >= 1 &&
         g->OW >= 1 && g->sN >= 0 && g->sC >= 0 && g->sH >= 0 && g->sW >= 0 &&
         (double)g->OH * g->OW < 2147483647.0 &&
         (double)(g->C / g->G) * g->kh * g->kw < 2147483647.0;
}

// The geometry from params[at ..]: N, C, H, W, x's strides, O, G, kh, kw, sh, sw, dh, dw, ph,
// pw, OH, OW; 0 when it is not one.
static int read_geometry(const double *p, ConvGeom *g) {
  *g = (ConvGeom){(int)p[0],  (int)p[1],  (int)p[2],  (int)p[3],  (long)p[4],
                  (long)p[5], (long)p[6], (long)p[7], (int)p[8],  (int)p[9],
                  (int)p[10], (int)p[11], (int)p[12], (int)p[13], (int)p[14],
                  (int)p[15], (int)p[16], (int)p[17], (int)p[18], (int)p[19]};
  return valid(g);
}

static double image_span(const ConvGeom *g) {
  return (g->N - 1.0) * g->sN + (g->C - 1.0) * g->sC + (g->H - 1.0) * g->sH + (g->W - 1.0) * g->sW;
}

static double weight_size(const ConvGeom *g) {
  return (double)g->O * (g->C / g->G) * g->kh * g->kw;
}

// conv2d(x, w, bias, y, params) with params: xOff, wOff, bOff (−1: no bias), yOff, the
// geometry (read_geometry), threads. Returns the chunks run by worker threads.
static napi_value conv2d(napi_env env, napi_callback_info info) {
  float *a[4];
  size_t len[4];
  double *p;
  ConvGeom g;
  if (!float_args(env, info, 4, a, len, &p, 25)) return native_throw(env, "conv2d(x, w, bias, y, params)");
  if (!read_geometry(p + 4, &g) || !fits(p[0], image_span(&g), len[0]) ||
      !fits(p[1], weight_size(&g) - 1, len[1]) || (p[2] != -1 && !fits(p[2], g.O - 1.0, len[2])) ||
      !fits(p[3], (double)g.N * g.O * g.OH * g.OW - 1, len[3]))
    return native_throw(env, "conv2d: bad geometry or operands out of their arrays' bounds");
  ConvJob j = {.g = g, .x = a[0] + (long)p[0], .w = a[1] + (long)p[1],
               .bias = p[2] == -1 ? NULL : a[2] + (long)p[2], .y = a[3] + (long)p[3]};
  j.b = conv2d_blocks(&g);
  j.blocks_per_image = (g.OH * g.OW + j.b.width - 1) / j.b.width;
  const int threads = (int)p[24] < 1 ? 1 : (int)p[24];
  const long blocks = (long)((g.N + j.b.images - 1) / j.b.images) * g.G * j.blocks_per_image;
  // Fewer blocks than the threads can share (a small batch of large layers): each block's
  // output channels in parts, each part laying out the same columns (a part's rows are
  // computed as in the whole product, so the results do not change).
  const int Og = g.O / g.G;
  j.parts = 1;
  while (blocks * j.parts < 4L * threads && Og / (2 * j.parts) >= 4 * MR) j.parts *= 2;
  j.rows_per_part = ((Og + j.parts - 1) / j.parts + MR - 1) / MR * MR;
  j.blocks = blocks * j.parts;
  j.per_chunk = 1;
  while ((j.blocks + j.per_chunk - 1) / j.per_chunk > 65535) j.per_chunk *= 2;
  const int by_workers = pool_run(conv_chunk, &j, (int)((j.blocks + j.per_chunk - 1) / j.per_chunk), threads);
  if (atomic_load(&j.failed)) return native_throw(env, "conv2d: out of memory for the columns buffer");
  return native_number(env, by_workers);
}

// ---- The backward pass: chunks are fixed slices of the batch (never the thread count's
// choice), each slice summing its own ∂w, then added in slice order: the same sums whatever
// thread runs a slice.
typedef struct {
  ConvGeom g;
  const float *x, *w, *gy;
  float *dx, *dw, *partials;  // partials: ∂w of slices 1 .. slices − 1 (slice 0 writes dw)
  ConvBlocks b;
  int slices;
  atomic_int failed;
} ConvGradJob;

// Floats of ∂w the slices' partial sums may take together (64 MB).
#define PARTIAL_FLOATS (16L << 20)

static void conv_grad_chunk(void *ctx, int s, float *scratch) {
  ConvGradJob *j = ctx;
  const ConvGeom *g = &j->g;
  float *cols = columns_buffer((size_t)conv2d_buffer_floats(g, j->b));
  if (!cols || !scratch) {
    atomic_store(&j->failed, 1);
    return;
  }
  const int n0 = (int)((long)g->N * s / j->slices), n1 = (int)((long)g->N * (s + 1) / j->slices);
  const long image = (long)g->C * g->H * g->W, P = (long)g->OH * g->OW;
  const int width = j->b.width;
  float *dw = !j->dw ? NULL : s == 0 ? j->dw : j->partials + (s - 1) * (long)weight_size(g);
  if (j->dx)
    for (long e = n0 * image; e < n1 * image; e++) j->dx[e] = 0;
  for (int n = n0; n < n1; n += j->b.images) {
    const int k = n1 - n < j->b.images ? n1 - n : j->b.images;
    for (int grp = 0; grp < g->G; grp++)
      for (long p0 = 0; p0 < P; p0 += width) {
        const int nb = P - p0 < width ? (int)(P - p0) : width;
        conv2d_grad_block(g, j->x, j->w, j->gy, j->dx, dw, n > n0 || p0 > 0, n, k, grp, (int)p0,
                          nb, cols, scratch);
      }
  }
}

// conv2dGrad(x, w, gy, dx, dw, params) with params: xOff, wOff, gyOff, dxOff and dwOff (−1:
// not wanted), the geometry (read_geometry), threads. dx is contiguous [N, C, H, W], dw the
// weight's layout. Returns the chunks run by worker threads.
static napi_value conv2d_grad(napi_env env, napi_callback_info info) {
  float *a[5];
  size_t len[5];
  double *p;
  ConvGeom g;
  if (!float_args(env, info, 5, a, len, &p, 26)) return native_throw(env, "conv2dGrad(x, w, gy, dx, dw, params)");
  if (!read_geometry(p + 5, &g) || !fits(p[0], image_span(&g), len[0]) ||
      !fits(p[1], weight_size(&g) - 1, len[1]) || !fits(p[2], (double)g.N * g.O * g.OH * g.OW - 1, len[2]) ||
      (p[3] != -1 && !fits(p[3], (double)g.N * g.C * g.H * g.W - 1, len[3])) ||
      (p[4] != -1 && !fits(p[4], weight_size(&g) - 1, len[4])))
    return native_throw(env, "conv2dGrad: bad geometry or operands out of their arrays' bounds");
  ConvGradJob j = {.g = g, .x = a[0] + (long)p[0], .w = a[1] + (long)p[1], .gy = a[2] + (long)p[2],
                   .dx = p[3] == -1 ? NULL : a[3] + (long)p[3], .dw = p[4] == -1 ? NULL : a[4] + (long)p[4]};
  j.b = conv2d_blocks(&g);
  const long per = (long)weight_size(&g);
  j.slices = g.N < 16 ? g.N : 16;
  if (j.dw && (j.slices - 1) * per > PARTIAL_FLOATS) j.slices = 1 + (int)(PARTIAL_FLOATS / per);
  if (j.dw && j.slices > 1 && !(j.partials = malloc(sizeof(float) * (j.slices - 1) * per)))
    return native_throw(env, "conv2dGrad: out of memory for the weight gradient's partial sums");
  const int threads = (int)p[25] < 1 ? 1 : (int)p[25];
  const int by_workers = pool_run(conv_grad_chunk, &j, j.slices, threads);
  if (j.dw)
    for (int s = 1; s < j.slices; s++)
      for (long e = 0; e < per; e++) j.dw[e] += j.partials[(s - 1) * per + e];
  free(j.partials);
  if (atomic_load(&j.failed)) return native_throw(env, "conv2dGrad: out of memory for the columns buffer");
  return native_number(env, by_workers);
}

int register_conv(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_default, NULL},
      {"conv2dGrad", NULL, conv2d_grad, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 2, props) == napi_ok;
}
