// im2col, col2im and max-pooling's window argmax over float32 images, for the native build
// (see windows.c).
#pragma once

// The geometry of a convolution's windows; strides of the image in elements.
typedef struct {
  int N, C, H, W;
  long sN, sC, sH, sW;  // the image's strides (im2col reads any view; col2im writes contiguous)
  int kh, kw, sh, sw, dh, dw, ph, pw, OH, OW;
} Windows;

// cols [C, kh, kw, N, OH, OW] (contiguous) of channels [c0, c1) from the image x.
void im2col_channels(const float *x, float *cols, const Windows *g, int c0, int c1, float pad);
// img [N, C, H, W] (contiguous) channels [c0, c1) = the sum of every tap of cols that reads them.
void col2im_channels(const float *cols, float *img, const Windows *g, int c0, int c1);
// For planes [p0, p1) of x (plane = n·C + c): each window's first maximum as its index h·W + w
// in the plane (a NaN wins and stays; -1 for a window with no tap in the image), into the
// contiguous idx [N, C, OH, OW]. ow_range: window_ow_ranges' table.
void window_argmax_planes(const float *x, int *idx, const Windows *g, const int *ow_range,
                          long p0, long p1);
// For each kernel column j, the [lo, hi) range of window columns ow whose tap j lies inside
// the image (2·kw ints).
void window_ow_ranges(const Windows *g, int *ow_range);
