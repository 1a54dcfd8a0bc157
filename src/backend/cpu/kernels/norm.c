// Batch normalisation's kernels (ops/batch-norm.ts has the maths) for the native build: the
// portable kernel's arithmetic (cpu/batch-norm.ts) operation for operation — float64 sums in
// the same order, the same double expressions rounded once on store — so both paths agree
// bitwise; here the compiler vectorizes the per-element passes, and the sums (a chain of
// dependent float64 adds per channel, ~4 cycles an element) run four channels side by side.
// Channels never share an output, so any split across threads gives the same result.
#include <math.h>
#include "norm.h"

// The runs of channels c..c+NORM_GROUP−1 of sample i (S values each, S apart).
#define RUNS(base, i) \
  const float *r0 = (base) + ((i) * C + c) * S, *r1 = r0 + S, *r2 = r1 + S, *r3 = r2 + S

_Static_assert(NORM_GROUP == 4, "the grouped loops name four channels");

// Σx then Σ(x − μ)² for channels [c, c + NORM_GROUP), written as [μ; σ²]: each channel's sum
// in the portable order, the four chains interleaved.
static void moments_group(const float *x, float *out, const NormShape *d, long c) {
  const long N = d->N, C = d->C, S = d->S;
  const double n = (double)(N * S);
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (long i = 0; i < N; i++) {
    RUNS(x, i);
    for (long k = 0; k < S; k++) s0 += r0[k], s1 += r1[k], s2 += r2[k], s3 += r3[k];
  }
  const double m0 = s0 / n, m1 = s1 / n, m2 = s2 / n, m3 = s3 / n;
  double d0 = 0, d1 = 0, d2 = 0, d3 = 0;
  for (long i = 0; i < N; i++) {
    RUNS(x, i);
    for (long k = 0; k < S; k++) {
      d0 += (r0[k] - m0) * (r0[k] - m0);
      d1 += (r1[k] - m1) * (r1[k] - m1);
      d2 += (r2[k] - m2) * (r2[k] - m2);
      d3 += (r3[k] - m3) * (r3[k] - m3);
    }
  }
  const double mu[NORM_GROUP] = {m0, m1, m2, m3}, sd[NORM_GROUP] = {d0, d1, d2, d3};
  for (int j = 0; j < NORM_GROUP; j++) out[c + j] = (float)mu[j], out[C + c + j] = (float)(sd[j] / n);
}

void channel_moments(const float *x, float *out, const NormShape *d, long c0, long c1) {
  const long N = d->N, C = d->C, S = d->S;
  const double n = (double)(N * S);
  long c = c0;
  for (; c + NORM_GROUP <= c1; c += NORM_GROUP) moments_group(x, out, d, c);
  for (; c < c1; c++) {
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

// Σg and Σg·(x − μ) of channels [c, c + NORM_GROUP) into sg, sgc (the portable order per
// channel, eight chains interleaved).
static void grad_sums_group(const float *x, const float *g, const float *stats, const NormShape *d,
                            long c, double *sg, double *sgc) {
  const long N = d->N, C = d->C, S = d->S;
  const double m0 = stats[c], m1 = stats[c + 1], m2 = stats[c + 2], m3 = stats[c + 3];
  double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (long i = 0; i < N; i++) {
    RUNS(x, i);
    const float *g0 = g + (i * C + c) * S, *g1 = g0 + S, *g2 = g1 + S, *g3 = g2 + S;
    for (long k = 0; k < S; k++) {
      a0 += g0[k], b0 += g0[k] * (r0[k] - m0);
      a1 += g1[k], b1 += g1[k] * (r1[k] - m1);
      a2 += g2[k], b2 += g2[k] * (r2[k] - m2);
      a3 += g3[k], b3 += g3[k] * (r3[k] - m3);
    }
  }
  sg[0] = a0, sg[1] = a1, sg[2] = a2, sg[3] = a3;
  sgc[0] = b0, sgc[1] = b1, sgc[2] = b2, sgc[3] = b3;
}

// Channel c's two gradient sums.
static void grad_sums(const float *x, const float *g, const float *stats, const NormShape *d,
                      long c, double *sg, double *sgc) {
  const long N = d->N, C = d->C, S = d->S;
  const double mu = stats[c];
  double a = 0, b = 0;
  for (long i = 0; i < N; i++) {
    const float *xr = x + (i * C + c) * S, *gr = g + (i * C + c) * S;
    for (long k = 0; k < S; k++) {
      a += gr[k];
      b += gr[k] * (xr[k] - mu);
    }
  }
  *sg = a, *sgc = b;
}

void batch_norm_grad(const float *x, const float *stats, const float *w, const float *g, float *out,
                     double eps, const NormShape *d, long c0, long c1) {
  const long N = d->N, C = d->C, S = d->S, size = N * C * S;
  const double n = (double)(N * S);
  for (long c = c0; c < c1;) {
    double sgs[NORM_GROUP], sgcs[NORM_GROUP];
    const int m = c + NORM_GROUP <= c1 ? NORM_GROUP : 1;
    if (m == NORM_GROUP)
      grad_sums_group(x, g, stats, d, c, sgs, sgcs);
    else
      grad_sums(x, g, stats, d, c, sgs, sgcs);
    for (int j = 0; j < m; j++, c++) {
      const double mu = stats[c], s = 1 / sqrt(stats[C + c] + eps), sg = sgs[j];
      const double sgx = sgcs[j] * s, scale = (w[c] * s) / n;
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
}
