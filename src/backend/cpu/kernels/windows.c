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

void window_tap_columns(const Windows *g, int *j_range) {
  for (int ow = 0; ow < g->OW; ow++)
    in_range(ow * g->sw - g->pw, g->dw, g->W, g->kw, &j_range[2 * ow], &j_range[2 * ow + 1]);
}

void window_argmax_planes(const float *x, int *idx, const Windows *g, const int *j_range, long p0,
                          long p1) {
  for (long p = p0; p < p1; p++) {
    const float *img = x + (p / g->C) * g->sN + (p % g->C) * g->sC;
    int *dst = idx + p * g->OH * g->OW;
    for (int oh = 0; oh < g->OH; oh++) {
      const int h0 = oh * g->sh - g->ph;
      int i_lo, i_hi;  // taps i whose row h0 + i·dh is in the image
      in_range(h0, g->dh, g->H, g->kh, &i_lo, &i_hi);
      for (int ow = 0; ow < g->OW; ow++, dst++) {
        const int w0 = ow * g->sw - g->pw, j_lo = j_range[2 * ow], j_hi = j_range[2 * ow + 1];
        int at = -1;
        float best = 0;
        // Taps in row-major order, so the first maximum wins; a NaN wins and stays.
        for (int i = i_lo; i < i_hi; i++) {
          const int h = h0 + i * g->dh;
          const float *row = img + h * g->sH;
          for (int j = j_lo; j < j_hi; j++) {
            const int w = w0 + j * g->dw;
            const float v = row[w * g->sW];
            if (at < 0 || v > best || (v != v && best == best)) at = h * g->W + w, best = v;
          }
        }
        *dst = at;
      }
    }
  }
}
