// conv2d's forward pass without the whole batch's columns: for one channel group and a block
// of output positions (part of one image, or several whole small images), the block's window
// taps are laid out as columns [(C/G)·kh·kw, positions] in a buffer that stays in L2, and one
// GEMM with the group's weight rows writes the output into its place in the contiguous NCHW
// output (bias first, the product added onto it). The whole batch's columns (75 MB for 64
// channels, 32×32, batch 32) were written to memory and read back, and the product came out
// channel-major [O, N, OH, OW] for a permuted view the next op paid to read. Blocks never
// share an output element and each element's sum runs over k in the same order in any block,
// so results do not depend on how blocks are spread over threads. The backward pass
// (conv2d_grad_block) walks the same blocks: ∂w accumulates g's block times the block's
// columns transposed, and ∂x gets Wᵀ times g's block, added back through the windows (col2im
// of the block) into the images.
#include "conv.h"
#include "gemm.h"
#include "vec.h"

static inline int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static inline int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Floats of one block's columns, kept well inside a 1 MiB L2 beside the GEMM's packed panel.
#define BLOCK_FLOATS (96 * 1024)
#define MIN_BLOCK 256
#define MAX_BLOCK 512

static int rows_of(const ConvGeom *g) { return (g->C / g->G) * g->kh * g->kw; }

// Floats per row of a block's columns: rounded up to whole strips of the GEMM, so that no
// column takes the GEMM's one-at-a-time edge path (the padding columns are zero, their
// products dropped).
static int padded(int n) { return ((n + NR - 1) / NR) * NR; }

ConvBlocks conv2d_blocks(const ConvGeom *g) {
  const int P = g->OH * g->OW;
  // Not below MIN_BLOCK however many rows: each block's GEMM reads all of the group's weight
  // rows, which for 256+ channels cost more than its product over a narrower block.
  int target = BLOCK_FLOATS / rows_of(g);
  target = target > MAX_BLOCK ? MAX_BLOCK : target < MIN_BLOCK ? MIN_BLOCK : target - target % NR;
  if (P < target) {
    // Whole images side by side: a GEMM as wide as a large image's block, where one small
    // image (LeNet's 10×10) would leave the products short and mostly edge.
    const int images = target / P < g->N ? target / P : g->N;
    return (ConvBlocks){P, images};
  }
  // Blocks of equal width (rounded up to whole strips of the GEMM) rather than a short last one.
  const int blocks = (P + target - 1) / target, even = (P + blocks - 1) / blocks;
  const int width = padded(even) < P ? padded(even) : P;
  return (ConvBlocks){width, 1};
}

long conv2d_buffer_floats(const ConvGeom *g, ConvBlocks b) {
  return ((long)rows_of(g) + g->O / g->G) * padded(b.width * b.images);
}

// One row of the block's columns: kernel tap (i, j) of channel c over positions [p0, p0 + nb),
// zero where the tap falls outside the image. lo, hi: the ow range whose column is inside.
static void tap_row(const ConvGeom *g, const float *img, int i, int j, int lo, int hi, int p0,
                    int nb, float *dst) {
  const int h0 = i * g->dh - g->ph, w0 = j * g->dw - g->pw;
  int oh = p0 / g->OW, ow = p0 % g->OW;
  for (int t = 0; t < nb; oh++, ow = 0) {
    const int end = ow + (nb - t) < g->OW ? ow + (nb - t) : g->OW;
    float *d = dst + t - ow;  // d[ow'] is the column of position (oh, ow')
    const int h = oh * g->sh + h0;
    t += end - ow;
    if (h < 0 || h >= g->H) {
      for (int q = ow; q < end; q++) d[q] = 0;
      continue;
    }
    const int a = clamp(lo, ow, end), b = clamp(hi, a, end);
    for (int q = ow; q < a; q++) d[q] = 0;
    for (int q = b; q < end; q++) d[q] = 0;
    const float *src = img + h * g->sH + (long)w0 * g->sW;
    const long step = g->sw * g->sW;
    if (step == 1)
      for (int q = a; q < b; q++) d[q] = src[q];
    else
      for (int q = a; q < b; q++) d[q] = src[q * step];
  }
}

// The block's columns [rows, ld]: images [n, n + k) side by side (nb positions from p0 each).
static void lay_out_columns(const ConvGeom *g, const float *x, int n, int k, int grp, int p0,
                            int nb, float *cols, int ld) {
  const int Cg = g->C / g->G;
  float *row = cols;
  for (int c = 0; c < Cg; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++, row += ld) {
        const int w0 = j * g->dw - g->pw;
        const int lo = clamp(ceil_div(-w0, g->sw), 0, g->OW);
        const int hi = clamp(floor_div(g->W - 1 - w0, g->sw) + 1, lo, g->OW);
        for (int m = 0; m < k; m++) {
          const float *img = x + (n + m) * g->sN + ((long)grp * Cg + c) * g->sC;
          tap_row(g, img, i, j, lo, hi, p0, nb, row + m * nb);
        }
        for (int t = k * nb; t < ld; t++) row[t] = 0;
      }
}

void conv2d_block(const ConvGeom *g, const float *x, const float *w, const float *bias, float *y,
                  int n, int k, int grp, int o0, int o1, int p0, int nb, float *cols,
                  float *scratch) {
  const int Og = g->O / g->G, rows = rows_of(g), P = g->OH * g->OW, M = o1 - o0;
  const int ld = padded(k * nb);
  lay_out_columns(g, x, n, k, grp, p0, nb, cols, ld);
  // One image in whole strips: straight into the output; else into a block of ld columns
  // after the columns, copied out image by image without the padding.
  float *out = y + ((long)n * g->O + (long)grp * Og + o0) * P + p0;
  const int direct = k == 1 && ld == nb;
  float *c = direct ? out : cols + (long)rows * ld;
  const long ldc = direct ? P : ld;
  if (bias)
    for (int o = 0; o < M; o++) {
      const float b = bias[grp * Og + o0 + o];
      for (int t = 0; t < ld; t++) c[o * ldc + t] = b;
    }
  sgemm(w + ((long)grp * Og + o0) * rows, rows, 1, cols, ld, 1, c, (int)ldc, M, rows, ld, scratch,
        bias != 0);
  if (direct) return;
  for (int m = 0; m < k; m++)
    for (int o = 0; o < M; o++) {
      float *dst = out + (long)m * g->O * P + (long)o * P;
      const float *src = c + (long)o * ld + m * nb;
      for (int t = 0; t < nb; t++) dst[t] = src[t];
    }
}

// The adjoint of tap_row: adds src, the row of tap (i, j) over positions [p0, p0 + nb), into
// the taps' places in one channel of a contiguous image (positions outside it are dropped).
static void tap_row_add(const ConvGeom *g, float *img, int i, int j, int lo, int hi, int p0,
                        int nb, const float *src) {
  const int h0 = i * g->dh - g->ph, w0 = j * g->dw - g->pw;
  int oh = p0 / g->OW, ow = p0 % g->OW;
  for (int t = 0; t < nb; oh++, ow = 0) {
    const int end = ow + (nb - t) < g->OW ? ow + (nb - t) : g->OW;
    const float *s = src + t - ow;
    const int h = oh * g->sh + h0;
    t += end - ow;
    if (h < 0 || h >= g->H) continue;
    const int a = clamp(lo, ow, end), b = clamp(hi, a, end);
    float *d = img + (long)h * g->W + w0;
    if (g->sw == 1)
      for (int q = a; q < b; q++) d[q] += s[q];
    else
      for (int q = a; q < b; q++) d[q * g->sw] += s[q];
  }
}

void conv2d_grad_block(const ConvGeom *g, const float *x, const float *w, const float *gy,
                       float *dx, float *dw, int accumulate_dw, int n, int k, int grp, int p0,
                       int nb, float *cols, float *scratch) {
  const int Cg = g->C / g->G, Og = g->O / g->G, rows = rows_of(g), P = g->OH * g->OW;
  const int ld = padded(k * nb);
  // g's block [Og, k·nb]: in place for one image (rows P apart), else gathered after the
  // columns.
  const float *gb = gy + ((long)n * g->O + (long)grp * Og) * P + p0;
  int ldg = P;
  if (k > 1) {
    float *gather = cols + (long)rows * ld;
    for (int o = 0; o < Og; o++)
      for (int m = 0; m < k; m++)
        for (int t = 0; t < nb; t++) gather[(long)o * k * nb + m * nb + t] = gb[(long)m * g->O * P + (long)o * P + t];
    gb = gather, ldg = k * nb;
  }
  if (dw) {
    lay_out_columns(g, x, n, k, grp, p0, nb, cols, ld);
    // ∂w_grp [Og, rows] (+)= g_block · columnsᵀ: dot products for few output channels or few
    // rows (a one-channel 3×3 image: 9), as the GEMM's callers choose for a transposed B.
    float *dwg = dw + (long)grp * Og * rows;
    if (GEMM_BY_DOTS(Og, rows))
      sgemm_nt(gb, ldg, cols, ld, dwg, rows, Og, k * nb, rows, accumulate_dw);
    else
      sgemm(gb, ldg, 1, cols, 1, ld, dwg, rows, Og, k * nb, rows, scratch, accumulate_dw);
  }
  if (!dx) return;
  // The columns' gradient W_grpᵀ · g_block [rows, k·nb], then added into the images' channels.
  sgemm(w + (long)grp * Og * rows, 1, rows, gb, ldg, 1, cols, ld, rows, Og, k * nb, scratch, 0);
  const long plane = (long)g->H * g->W;
  const float *row = cols;
  for (int c = 0; c < Cg; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++, row += ld) {
        const int w0 = j * g->dw - g->pw;
        const int lo = clamp(ceil_div(-w0, g->sw), 0, g->OW);
        const int hi = clamp(floor_div(g->W - 1 - w0, g->sw) + 1, lo, g->OW);
        for (int m = 0; m < k; m++) {
          float *img = dx + (((long)n + m) * g->C + (long)grp * Cg + c) * plane;
          tap_row_add(g, img, i, j, lo, hi, p0, nb, row + m * nb);
        }
      }
}
