// Batch normalisation's per-channel kernels for the native build (norm.c), run by addon.c on
// the pool's threads, each call a range of channels [c0, c1).
#pragma once

// Channels whose sums the kernels run side by side; callers split channels in multiples of it.
#define NORM_GROUP 4

// x [N, C, S] contiguous; channel c of sample n is the run of S values from (n·C + c)·S.
typedef struct {
  long N, C, S;
} NormShape;

// out[c] = μ, out[C + c] = σ² (biased) of each channel.
void channel_moments(const float *x, float *out, const NormShape *d, long c0, long c1);
// y = (x − μ)·γ/√(σ² + ε) + β with stats [μ; σ²].
void batch_norm_apply(const float *x, const float *stats, const float *w, const float *b, float *y,
                      double eps, const NormShape *d, long c0, long c1);
// out = [∂x, ∂γ, ∂β] for the output gradient g (ops/batch-norm.ts has the closed form).
void batch_norm_grad(const float *x, const float *stats, const float *w, const float *g, float *out,
                     double eps, const NormShape *d, long c0, long c1);
