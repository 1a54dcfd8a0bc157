// conv2d's forward pass without the whole batch's columns: for one image, one channel group
// and a block of output positions, the block's window taps are laid out as columns
// [(C/G)·kh·kw, nb] in a buffer that stays in L2, and one GEMM with the group's weight rows
// writes the output straight into its place in the contiguous NCHW output (bias first, the
// product added onto it). The whole batch's columns (75 MB for 64 channels, 32×32, batch 32)
// were written to memory and read back, and the product came out channel-major [O, N, OH, OW]
// for a permuted view the next op paid to read. Blocks never share an output element and each
// element's sum runs over k in the same order in any block, so results do not depend on how
// blocks are spread over threads. The backward pass (conv2d_grad_block) walks the same blocks:
// ∂w accumulates g's block times the block's columns transposed, and ∂x gets Wᵀ times g's
// block, added back through the windows (col2im of the block) into the image.
#include "conv.h"
#include "gemm.h"
#include "vec.h"

static inline int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static inline int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Floats of one block's columns, kept well inside a 1 MiB L2 beside the GEMM's packed panel.
#ifndef BLOCK_FLOATS
#define BLOCK_FLOATS (96 * 1024)
#endif
#ifndef MAX_BLOCK
#define MAX_BLOCK 256
#endif

int conv2d_block_width(const ConvGeom *g) {
  const int rows = (g->C / g->G) * g->kh * g->kw, P = g->OH * g->OW;
  int nb = BLOCK_FLOATS / rows;
  nb = nb > MAX_BLOCK ? MAX_BLOCK : nb < NR ? NR : nb - nb % NR;
  if (nb >= P) return P;
  // Blocks of equal width (rounded up to whole strips of the GEMM) rather than a short last one.
  const int blocks = (P + nb - 1) / nb, even = (P + blocks - 1) / blocks;
  return ((even + NR - 1) / NR) * NR;
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

// Floats per row of a block's columns: nb rounded up to whole strips of the GEMM, so that no
// column takes the GEMM's one-at-a-time edge path (the padding columns are zero, their
// products dropped).
static int padded(int nb) { return ((nb + NR - 1) / NR) * NR; }

long conv2d_buffer_floats(const ConvGeom *g, int width) {
  const long rows = (long)(g->C / g->G) * g->kh * g->kw;
  return (rows + g->O / g->G) * padded(width);
}

void conv2d_block(const ConvGeom *g, const float *x, const float *w, const float *bias, float *y,
                  int n, int grp, int p0, int nb, float *cols, float *scratch) {
  const int Cg = g->C / g->G, Og = g->O / g->G, rows = Cg * g->kh * g->kw, P = g->OH * g->OW;
  const int ld = padded(nb);
  const float *img = x + n * g->sN + (long)grp * Cg * g->sC;
  float *row = cols;
  for (int c = 0; c < Cg; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++, row += ld) {
        const int w0 = j * g->dw - g->pw;
        const int lo = clamp(ceil_div(-w0, g->sw), 0, g->OW);
        const int hi = clamp(floor_div(g->W - 1 - w0, g->sw) + 1, lo, g->OW);
        tap_row(g, img + c * g->sC, i, j, lo, hi, p0, nb, row);
        for (int t = nb; t < ld; t++) row[t] = 0;
      }
  // Whole strips: straight into the output; else into a block of ld columns after the
  // columns, copied out without the padding.
  float *out = y + ((long)n * g->O + (long)grp * Og) * P + p0;
  float *c = ld == nb ? out : cols + (long)rows * ld;
  const long ldc = ld == nb ? P : ld;
  if (bias)
    for (int o = 0; o < Og; o++) {
      const float b = bias[grp * Og + o];
      for (int t = 0; t < ld; t++) c[o * ldc + t] = b;
    }
  sgemm(w + (long)grp * Og * rows, rows, 1, cols, ld, 1, c, (int)ldc, Og, rows, ld, scratch, bias != 0);
  if (c != out)
    for (int o = 0; o < Og; o++)
      for (int t = 0; t < nb; t++) out[(long)o * P + t] = c[(long)o * ld + t];
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
                       float *dx, float *dw, int accumulate_dw, int n, int grp, int p0, int nb,
                       float *cols, float *scratch) {
  const int Cg = g->C / g->G, Og = g->O / g->G, rows = Cg * g->kh * g->kw, P = g->OH * g->OW;
  const int ld = padded(nb);
  const float *gb = gy + ((long)n * g->O + (long)grp * Og) * P + p0;  // [Og, nb], rows P apart
  if (dw) {
    const float *img = x + n * g->sN + (long)grp * Cg * g->sC;
    float *row = cols;
    for (int c = 0; c < Cg; c++)
      for (int i = 0; i < g->kh; i++)
        for (int j = 0; j < g->kw; j++, row += ld) {
          const int w0 = j * g->dw - g->pw;
          const int lo = clamp(ceil_div(-w0, g->sw), 0, g->OW);
          const int hi = clamp(floor_div(g->W - 1 - w0, g->sw) + 1, lo, g->OW);
          tap_row(g, img + c * g->sC, i, j, lo, hi, p0, nb, row);
        }
    // ∂w_grp [Og, rows] (+)= g_block · columnsᵀ: dot products for few output channels, as the
    // GEMM's callers choose for a transposed B.
    float *dwg = dw + (long)grp * Og * rows;
    if (Og < 4 * MR)
      sgemm_nt(gb, P, cols, ld, dwg, rows, Og, nb, rows, accumulate_dw);
    else
      sgemm(gb, P, 1, cols, 1, ld, dwg, rows, Og, nb, rows, scratch, accumulate_dw);
  }
  if (!dx) return;
  // The columns' gradient W_grpᵀ · g_block [rows, nb], then added into the image's channels.
  sgemm(w + (long)grp * Og * rows, 1, rows, gb, P, 1, cols, ld, rows, Og, nb, scratch, 0);
  float *img = dx + ((long)n * g->C + (long)grp * Cg) * g->H * g->W;
  const float *row = cols;
  for (int c = 0; c < Cg; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++, row += ld) {
        const int w0 = j * g->dw - g->pw;
        const int lo = clamp(ceil_div(-w0, g->sw), 0, g->OW);
        const int hi = clamp(floor_div(g->W - 1 - w0, g->sw) + 1, lo, g->OW);
        tap_row_add(g, img + (long)c * g->H * g->W, i, j, lo, hi, p0, nb, row);
      }
}
