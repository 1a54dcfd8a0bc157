// conv2d's forward pass a block of output positions at a time (conv.c), for the native addon.
#pragma once

// A convolution's geometry: input [N, C, H, W] read through its strides, weight [O, C/G, kh,
// kw] and output [N, O, OH, OW] contiguous, G channel groups.
typedef struct {
  int N, C, H, W;
  long sN, sC, sH, sW;
  int O, G, kh, kw, sh, sw, dh, dw, ph, pw, OH, OW;
} ConvGeom;

// Output positions per block for a group's rows = (C/G)·kh·kw: the block's columns stay in L2.
int conv2d_block_width(const ConvGeom *g);
// Floats of the cols buffer conv2d_block needs for blocks of up to `width` positions.
long conv2d_buffer_floats(const ConvGeom *g, int width);
// y[n, channels of group grp, positions [p0, p0 + nb)] = W_grp · columns (+ bias), the columns
// laid out in cols (conv2d_buffer_floats); scratch: the GEMM's GEMM_SCRATCH_FLOATS.
void conv2d_block(const ConvGeom *g, const float *x, const float *w, const float *bias, float *y,
                  int n, int grp, int p0, int nb, float *cols, float *scratch);
// The backward pass over the same block, from the output gradient gy (contiguous like y):
// ∂w (weight's layout) += or = (accumulate_dw) g_block · columnsᵀ when dw is not NULL; ∂x
// (contiguous [N, C, H, W], zeroed by the caller) += the columns' gradient through the windows
// when dx is not NULL.
void conv2d_grad_block(const ConvGeom *g, const float *x, const float *w, const float *gy,
                       float *dx, float *dw, int accumulate_dw, int n, int grp, int p0, int nb,
                       float *cols, float *scratch);
