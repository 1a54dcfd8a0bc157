// im2col, col2im and windowArgmax (ops/windows.ts defines them) in C, so a convolution's columns are laid
// out and summed back at memory speed and split across threads by channel: channels never
// share an output element, and within one the taps are added in a fixed order, so results
// are the same for any split. Mirrors backend/cpu/windows.ts: for each kernel column the
// in-image range of ow is solved once, so the inner loops carry no bounds checks.
#include "windows.h"

static inline int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }
static inline int ceil_div(int a, int b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }
static inline int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// The [lo, hi) range of window index o whose tap o·s + shift lies inside [0, size).
static void in_range(int shift, int s, int size, int count, int *lo, int *hi) {
  *lo = clamp(ceil_div(-shift, s), 0, count);
  *hi = clamp(floor_div(size - 1 - shift, s) + 1, *lo, count);
}

void im2col_channels(const float *x, float *cols, const Windows *g, int c0, int c1, float pad) {
  const long plane = (long)g->OH * g->OW;
  for (int c = c0; c < c1; c++)
    for (int i = 0; i < g->kh; i++)
      for (int j = 0; j < g->kw; j++) {
        const int h0 = i * g->dh - g->ph, w0 = j * g->dw - g->pw;
        int lo, hi;
        in_range(w0, g->sw, g->W, g->OW, &lo, &hi);
        float *dst = cols + (((long)c * g->kh + i) * g->kw + j) * g->N * plane;
        for (int n = 0; n < g->N; n++) {
          const float *img = x + n * g->sN + c * g->sC;
          for (int oh = 0; oh < g->OH; oh++, dst += g->OW) {
            const int h = oh * g->sh + h0;
            if (h < 0 || h >= g->H) {
              for (int t = 0; t < g->OW; t++) dst[t] = pad;
              continue;
            }
            for (int t = 0; t < lo; t++) dst[t] = pad;
            for (int t = hi; t < g->OW; t++) dst[t] = pad;
            const float *src = img + h * g->sH + (long)(lo * g->sw + w0) * g->sW;
            const long step = g->sw * g->sW;
            if (step == 1)
              for (int t = lo; t < hi; t++) dst[t] = src[t - lo];
            else
              for (int t = lo; t < hi; t++) dst[t] = src[(t - lo) * step];
          }
        }
      }
}

void col2im_channels(const float *cols, float *img, const Windows *g, int c0, int c1) {
  const long plane = (long)g->OH * g->OW, image = (long)g->H * g->W;
  for (int n = 0; n < g->N; n++)
    for (int c = c0; c < c1; c++) {
      float *dst = img + ((long)n * g->C + c) * image;
      for (long t = 0; t < image; t++) dst[t] = 0;
    }
  for (int c = c0; c < c1; c++)
    for (int i = 0; i < g->kh; i++) {
      const int h0 = i * g->dh - g->ph;
      int oh_lo, oh_hi;
      in_range(h0, g->sh, g->H, g->OH, &oh_lo, &oh_hi);
      for (int j = 0; j < g->kw; j++) {
        const int w0 = j * g->dw - g->pw;
        int lo, hi;
        in_range(w0, g->sw, g->W, g->OW, &lo, &hi);
        const float *src = cols + (((long)c * g->kh + i) * g->kw + j) * g->N * plane;
        for (int n = 0; n < g->N; n++, src += plane) {
          float *dst = img + ((long)n * g->C + c) * image;
          for (int oh = oh_lo; oh < oh_hi; oh++) {
            const float *s = src + (long)oh * g->OW;
            float *d = dst + (long)(oh * g->sh + h0) * g->W + w0;
            if (g->sw == 1)
              for (int t = lo; t < hi; t++) d[t] += s[t];
            else
              for (int t = lo; t < hi; t++) d[t * g->sw] += s[t];
          }
        }
      }
    }
}

// Windows of one output row handled together: their running maxima stay on the stack.
#define ARGMAX_BLOCK 1024

void window_ow_ranges(const Windows *g, int *ow_range) {
  for (int j = 0; j < g->kw; j++)
    in_range(j * g->dw - g->pw, g->sw, g->W, g->OW, &ow_range[2 * j], &ow_range[2 * j + 1]);
}

// One output row at a time, and along it blocks of ARGMAX_BLOCK windows: each tap (i, j) in
// row-major order sweeps every window of the block (a contiguous or evenly strided run of the
// image row, which vectorizes), so the first maximum wins as in a per-window search; a NaN
// wins and stays. A loop per window over its few taps ran ~7× slower (a short dependent chain
// per window, nothing to vectorize).
void window_argmax_planes(const float *x, int *idx, const Windows *gp, const int *ow_range,
                          long p0, long p1) {
  const Windows g = *gp;  // a local copy: the stores to idx cannot alias it
  float best[ARGMAX_BLOCK];
  for (long p = p0; p < p1; p++) {
    const float *img = x + (p / g.C) * g.sN + (p % g.C) * g.sC;
    int *dst = idx + p * g.OH * g.OW;
    for (int oh = 0; oh < g.OH; oh++, dst += g.OW) {
      const int h0 = oh * g.sh - g.ph;
      int i_lo, i_hi;  // taps i whose row h0 + i·dh is in the image
      in_range(h0, g.dh, g.H, g.kh, &i_lo, &i_hi);
      for (int b0 = 0; b0 < g.OW; b0 += ARGMAX_BLOCK) {
        const int b1 = b0 + ARGMAX_BLOCK < g.OW ? b0 + ARGMAX_BLOCK : g.OW;
        for (int ow = b0; ow < b1; ow++) dst[ow] = -1, best[ow - b0] = 0;
        for (int i = i_lo; i < i_hi; i++) {
          const int h = h0 + i * g.dh;
          const float *row = img + h * g.sH;
          for (int j = 0; j < g.kw; j++) {
            const int shift = j * g.dw - g.pw;
            const int lo = ow_range[2 * j] > b0 ? ow_range[2 * j] : b0;
            const int hi = ow_range[2 * j + 1] < b1 ? ow_range[2 * j + 1] : b1;
            for (int ow = lo; ow < hi; ow++) {
              const int w = ow * g.sw + shift;
              const float v = row[(long)w * g.sW], top = best[ow - b0];
              const int at = dst[ow];
              const int take = (at < 0) | (v > top) | ((v != v) & (top == top));
              dst[ow] = take ? h * g.W + w : at;
              best[ow - b0] = take ? v : top;
            }
          }
        }
      }
    }
  }
}
