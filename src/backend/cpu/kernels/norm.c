// Batch normalisation's kernels (ops/batch-norm.ts has the maths) for the native build: the
// portable kernel's arithmetic (cpu/batch-norm.ts) operation for operation — float64 sums in
// the same order, the same double expressions rounded once on store — so both paths agree
// bitwise; here the compiler vectorizes the per-element passes. Channels never share an
// output, so any split across threads gives the same result.
#include <math.h>
#include "norm.h"

void channel_moments(const float *x, float *out, const NormShape *d, long c0, long c1) {
  const long N = d->N, C = d->C, S = d->S;
  const double n = (double)(N * S);
  for (long c = c0; c < c1; c++) {
    double sx = 0;
    for (long i = 0; i < N; i++) {
      const float *run = x + (i * C + c) * S;
      for (long k = 0; k < S; k++) sx += run[k];
    }
    const double mu = sx / n;
    double sd = 0;
    for (long i = 0; i < N; i++) {
      const float *run = x + (i * C + c) * S;
      for (long k = 0; k < S; k++) sd += (run[k] - mu) * (run[k] - mu);
    }
    out[c] = (float)mu;
    out[C + c] = (float)(sd / n);
  }
}

void batch_norm_apply(const float *x, const float *stats, const float *w, const float *b, float *y,
                      double eps, const NormShape *d, long c0, long c1) {
  const long N = d->N, C = d->C, S = d->S;
  for (long c = c0; c < c1; c++) {
    const double mu = stats[c], scale = 1 / sqrt(stats[C + c] + eps) * w[c], shift = b[c];
    for (long i = 0; i < N; i++) {
      const float *run = x + (i * C + c) * S;
      float *dst = y + (i * C + c) * S;
      for (long k = 0; k < S; k++) dst[k] = (float)((run[k] - mu) * scale + shift);
    }
  }
}

void batch_norm_grad(const float *x, const float *stats, const float *w, const float *g, float *out,
                     double eps, const NormShape *d, long c0, long c1) {
  const long N = d->N, C = d->C, S = d->S, size = N * C * S;
  const double n = (double)(N * S);
  for (long c = c0; c < c1; c++) {
    const double mu = stats[c], s = 1 / sqrt(stats[C + c] + eps);
    double sg = 0, sgc = 0;
    for (long i = 0; i < N; i++) {
      const float *xr = x + (i * C + c) * S, *gr = g + (i * C + c) * S;
      for (long k = 0; k < S; k++) {
        sg += gr[k];
        sgc += gr[k] * (xr[k] - mu);
      }
    }
    const double sgx = sgc * s, scale = (w[c] * s) / n;
    const double ag = scale * n, ax = -scale * sgx * s, k0 = -scale * sg - ax * mu;
    for (long i = 0; i < N; i++) {
      const float *xr = x + (i * C + c) * S, *gr = g + (i * C + c) * S;
      float *dst = out + (i * C + c) * S;
      for (long k = 0; k < S; k++) dst[k] = (float)(ag * gr[k] + ax * xr[k] + k0);
    }
    out[size + c] = (float)sgx;
    out[size + C + c] = (float)sg;
  }
}
