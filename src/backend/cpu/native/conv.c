// conv2d's forward pass for the native addon: ../kernels/conv.c's blocks (image, channel
// group, block of output positions) spread over pool.c's threads, each thread laying out its
// block's columns in a buffer of its own that it keeps between calls.
#include <stdatomic.h>
#include <stdlib.h>
#include "conv.h"
#include "pool.h"
#include "../kernels/conv.h"

typedef struct {
  ConvGeom g;
  const float *x, *w, *bias;
  float *y;
  int width, blocks_per_image;  // positions per block; blocks per (image, group)
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
  const int P = g->OH * g->OW;
  float *cols = columns_buffer((size_t)conv2d_buffer_floats(g, j->width));
  if (!cols || !scratch) {
    atomic_store(&j->failed, 1);
    return;
  }
  const long b1 = (c + 1) * j->per_chunk < j->blocks ? (c + 1) * j->per_chunk : j->blocks;
  for (long b = c * j->per_chunk; b < b1; b++) {
    const long image_group = b / j->blocks_per_image;
    const int p0 = (int)(b % j->blocks_per_image) * j->width;
    const int nb = P - p0 < j->width ? P - p0 : j->width;
    conv2d_block(g, j->x, j->w, j->bias, j->y, (int)(image_group / g->G),
                 (int)(image_group % g->G), p0, nb, cols, scratch);
  }
}

static int fits(double off, double span, size_t len) { return off >= 0 && off + span < (double)len; }

static int valid(const ConvGeom *g) {
  return g->N >= 1 && g->C >= 1 && g->H >= 1 && g->W >= 1 && g->O >= 1 && g->G >= 1 &&
         g->C % g->G == 0 && g->O % g->G == 0 && g->kh >= 1 && g->kw >= 1 && g->sh >= 1 &&
         g->sw >= 1 && g->dh >= 1 && g->dw >= 1 && g->ph >= 0 && g->pw >= 0 && g->OH >= 1 &&
         g->OW >= 1 && g->sN >= 0 && g->sC >= 0 && g->sH >= 0 && g->sW >= 0 &&
         (double)g->OH * g->OW < 2147483647.0 &&
         (double)(g->C / g->G) * g->kh * g->kw < 2147483647.0;
}

// conv2d(x, w, bias, y, params) with params: xOff, wOff, bOff (−1: no bias), yOff, N, C, H,
// W, sN, sC, sH, sW, O, G, kh, kw, sh, sw, dh, dw, ph, pw, OH, OW, threads. Returns the
// chunks run by worker threads.
static napi_value conv2d(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t argc = 5, len[4] = {0, 0, 0, 0}, plen;
  void *data[4];
  double *p;
  napi_typedarray_type type;
  bool is;
  int ok = napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc == 5;
  for (int i = 0; ok && i < 5; i++) {
    ok = napi_is_typedarray(env, argv[i], &is) == napi_ok && is &&
         napi_get_typedarray_info(env, argv[i], &type, i < 4 ? &len[i] : &plen,
                                  i < 4 ? &data[i] : (void **)&p, NULL, NULL) == napi_ok &&
         type == (i < 4 ? napi_float32_array : napi_float64_array);
  }
  if (!ok || plen < 25) {
    napi_throw_error(env, "DENDRITE_NATIVE", "conv2d(x, w, bias, y, params)");
    return NULL;
  }
  const ConvGeom g = {(int)p[4],   (int)p[5],   (int)p[6],   (int)p[7],   (long)p[8],
                      (long)p[9],  (long)p[10], (long)p[11], (int)p[12],  (int)p[13],
                      (int)p[14],  (int)p[15],  (int)p[16],  (int)p[17],  (int)p[18],
                      (int)p[19],  (int)p[20],  (int)p[21],  (int)p[22],  (int)p[23]};
  const double image = (g.N - 1.0) * g.sN + (g.C - 1.0) * g.sC + (g.H - 1.0) * g.sH + (g.W - 1.0) * g.sW;
  const double weight = (double)g.O * (g.C / (g.G ? g.G : 1)) * g.kh * g.kw;
  if (!valid(&g) || !fits(p[0], image, len[0]) || !fits(p[1], weight - 1, len[1]) ||
      (p[2] != -1 && !fits(p[2], g.O - 1.0, len[2])) ||
      !fits(p[3], (double)g.N * g.O * g.OH * g.OW - 1, len[3])) {
    napi_throw_error(env, "DENDRITE_NATIVE", "conv2d: bad geometry or operands out of their arrays' bounds");
    return NULL;
  }
  ConvJob j = {.g = g, .x = (float *)data[0] + (long)p[0], .w = (float *)data[1] + (long)p[1],
               .bias = p[2] == -1 ? NULL : (float *)data[2] + (long)p[2],
               .y = (float *)data[3] + (long)p[3]};
  j.width = conv2d_block_width(&g);
  j.blocks_per_image = (g.OH * g.OW + j.width - 1) / j.width;
  j.blocks = (long)g.N * g.G * j.blocks_per_image;
  j.per_chunk = 1;
  while ((j.blocks + j.per_chunk - 1) / j.per_chunk > 65535) j.per_chunk *= 2;
  const int threads = (int)p[24] < 1 ? 1 : (int)p[24];
  const int by_workers = pool_run(conv_chunk, &j, (int)((j.blocks + j.per_chunk - 1) / j.per_chunk), threads);
  if (atomic_load(&j.failed)) {
    napi_throw_error(env, "DENDRITE_NATIVE", "conv2d: out of memory for the columns buffer");
    return NULL;
  }
  napi_value r;
  napi_create_double(env, by_workers, &r);
  return r;
}

int register_conv(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"conv2d", NULL, conv2d, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props) == napi_ok;
}
