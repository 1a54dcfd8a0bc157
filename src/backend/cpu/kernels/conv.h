// conv2d's forward pass a block of output positions at a time (conv.c), for the native addon.
#pragma once

// A convolution's geometry: input [N, C, H, W] read through its strides, weight [O, C/G, kh,
// kw] and output [N, O, OH, OW] contiguous, G channel groups.
typedef struct {
  int N, C, H, W;
  long sN, sC, sH, sW;
  int O, G, kh, kw, sh, sw, dh, dw, ph, pw, OH, OW;
} ConvGeom;

// Blocks of output positions: `width` positions of one image, or (images > 1) several whole
// images side by side (width = OH·OW), so the block's columns stay in L2.
typedef struct {
  int width, images;
} ConvBlocks;
ConvBlocks conv2d_blocks(const ConvGeom *g);
// Floats of the cols buffer the blocks need (their columns, then room for the GEMM's output
// or the gathered output gradient).
long conv2d_buffer_floats(const ConvGeom *g, ConvBlocks b);
// y[images [n, n + k), channels [o0, o1) of group grp, positions [p0, p0 + nb)] = those rows
// of W_grp · columns (+ bias); k > 1 only with whole images (p0 0, nb OH·OW). scratch: the
// GEMM's GEMM_SCRATCH_FLOATS.
void conv2d_block(const ConvGeom *g, const float *x, const float *w, const float *bias, float *y,
                  int n, int k, int grp, int o0, int o1, int p0, int nb, float *cols,
                  float *scratch);
// The backward pass over the same block, from the output gradient gy (contiguous like y):
// ∂w (weight's layout) += or = (accumulate_dw) g_block · columnsᵀ when dw is not NULL; ∂x
// (contiguous [N, C, H, W], zeroed by the caller) += the columns' gradient through the windows
// when dx is not NULL.
void conv2d_grad_block(const ConvGeom *g, const float *x, const float *w, const float *gy,
                       float *dx, float *dw, int accumulate_dw, int n, int k, int grp, int p0,
                       int nb, float *cols, float *scratch);
