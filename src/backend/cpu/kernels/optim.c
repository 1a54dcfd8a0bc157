// Adam's and SGD's updates over a list of parameters (optim.h). The arithmetic is the
// portable kernels' (cpu/optim-steps.ts) operation for operation: doubles, each value the
// composed ops stored (the decayed gradient, m', v', the momentum buffer) rounded to float32
// before the next one uses it, θ' rounded once on store. With -ffp-contract=off nothing is
// fused, so the native update is bitwise the portable one.
#include <math.h>
#include "optim.h"

// The first segment holding element i0 (segments sorted by start, each start ≤ the next).
static int first_segment(const StepSegment *seg, int k, long i0) {
  int lo = 0, hi = k - 1;
  while (lo < hi) {
    const int mid = (lo + hi + 1) / 2;
    if (seg[mid].start <= i0) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// The gradient the update follows: ±g, plus λθ rounded as the composed mul and add stored it.
static inline double followed(double g, double p, double sign, double wd, int decay) {
  const double gs = sign * g;
  return decay ? (double)(float)(gs + (double)(float)(p * wd)) : gs;
}

// The loops take their options (decay, scale, mode, fresh) as constants: each caller below
// passes literals, so every variant compiles to a branch-free loop the compiler vectorizes.
static inline __attribute__((always_inline)) void adam_loop(
    const float *restrict p, const float *restrict g, const float *restrict m,
    const float *restrict v, float *restrict po, float *restrict mo, float *restrict vo, long j0,
    long j1, const AdamConsts *c, int decay, int scaled) {
  const double b1 = c->one_minus_beta1, beta2 = c->beta2, b2 = c->one_minus_beta2;
  const double step = c->step_size, eps = c->eps, scale = c->param_scale;
  const double sign = c->grad_sign, wd = c->weight_decay;
  for (long i = j0; i < j1; i++) {
    const double gi = followed(g[i], p[i], sign, wd, decay), mi0 = m[i];
    const double pi = scaled ? (double)(float)(p[i] * scale) : p[i];
    const float mi = (float)(mi0 + b1 * (gi - mi0));
    const float vi = (float)(v[i] * beta2 + gi * gi * b2);
    po[i] = (float)(pi - (step * mi) / (sqrt((double)vi) + eps));
    mo[i] = mi;
    vo[i] = vi;
  }
}

// The operands as the loop's own restrict parameters: read from the segment inside the loop's
// function, GCC 12 did not vectorize it.
static void adam_range(const StepSegment *s, long j0, long j1, const AdamConsts *c) {
  const float *p = s->p, *g = s->g, *m = s->m, *v = s->v;
  float *po = s->out, *mo = s->out + s->n, *vo = s->out + 2 * s->n;
  if (c->weight_decay != 0) adam_loop(p, g, m, v, po, mo, vo, j0, j1, c, 1, 0);
  else if (c->param_scale != 1) adam_loop(p, g, m, v, po, mo, vo, j0, j1, c, 0, 1);
  else adam_loop(p, g, m, v, po, mo, vo, j0, j1, c, 0, 0);
}

// mode 0: θ − lr·g; 1: heavy ball; 2: Nesterov. fresh: the buffer starts as g.
static inline __attribute__((always_inline)) void sgd_loop(const StepSegment *s, long j0,
                                                           long j1, const SgdConsts *c,
                                                           int decay, int mode, int fresh) {
  const double lr = c->lr, mu = c->momentum, keep = c->one_minus_dampening;
  const double sign = c->grad_sign, wd = c->weight_decay;
  const float *restrict p = s->p, *restrict g = s->g, *restrict m = s->m;
  float *restrict po = s->out, *restrict bo = s->out + s->n;
  for (long i = j0; i < j1; i++) {
    const double gi = followed(g[i], p[i], sign, wd, decay);
    if (mode == 0) {
      po[i] = (float)(p[i] - lr * gi);
      continue;
    }
    const float b = fresh ? (float)gi : (float)(m[i] * mu + gi * keep);
    po[i] = mode == 2 ? (float)(p[i] - lr * (gi + mu * b)) : (float)(p[i] - lr * b);
    bo[i] = b;
  }
}

static void sgd_range(const StepSegment *s, long j0, long j1, const SgdConsts *c) {
  const int decay = c->weight_decay != 0;
#define SGD_MODES(d)                                          \
  if (c->mode == 0) sgd_loop(s, j0, j1, c, d, 0, 0);          \
  else if (s->fresh) sgd_loop(s, j0, j1, c, d, c->mode, 1);   \
  else if (c->mode == 1) sgd_loop(s, j0, j1, c, d, 1, 0);     \
  else sgd_loop(s, j0, j1, c, d, 2, 0);
  if (decay) {
    SGD_MODES(1)
  } else {
    SGD_MODES(0)
  }
#undef SGD_MODES
}

// Heavy-ball RMSprop and Adagrad: the composed ops rounded every value they stored, so each
// step here is rounded to float32 as it was (gs: ±g + λθ, already a float32 value).
static inline __attribute__((always_inline)) void rmsprop_loop(
    const float *restrict p, const float *restrict g, const float *restrict v,
    const float *restrict m, const float *restrict b, float *restrict po, float *restrict vo,
    float *restrict mo, float *restrict bo, long j0, long j1, const RmspropConsts *c, int decay,
    int centered, int momentum) {
  const double lr = c->lr, alpha = c->alpha, oma = c->one_minus_alpha, eps = c->eps;
  const double mu = c->momentum, sign = c->grad_sign, wd = c->weight_decay;
  for (long i = j0; i < j1; i++) {
    const double gi = followed(g[i], p[i], sign, wd, decay);
    const float sq = (float)((double)(float)(v[i] * alpha) + (double)(float)((double)(float)(gi * gi) * oma));
    double avg;
    if (centered) {
      const float ga = (float)((double)(float)(m[i] * alpha) + (double)(float)(gi * oma));
      const float var = (float)(sq - (double)(float)((double)ga * ga));
      avg = (float)((double)(float)sqrt((double)var) + eps);
      mo[i] = ga;
    } else
      avg = (float)((double)(float)sqrt((double)sq) + eps);
    float delta = (float)(gi / avg);
    if (momentum) {
      delta = (float)((double)(float)(b[i] * mu) + delta);
      bo[i] = delta;
    }
    po[i] = (float)(p[i] - (double)(float)(delta * lr));
    vo[i] = sq;
  }
}

static void rmsprop_range(const StepSegment *s, long j0, long j1, const RmspropConsts *c) {
  const int decay = c->weight_decay != 0, momentum = c->momentum != 0, centered = c->centered;
  const long n = s->n;
  float *po = s->out, *vo = s->out + n, *mo = s->out + 2 * n, *bo = s->out + (2 + centered) * n;
#define RMSPROP(d, ce, mom) \
  rmsprop_loop(s->p, s->g, s->v, s->m, s->b, po, vo, mo, bo, j0, j1, c, d, ce, mom)
#define RMSPROP_VARIANTS(d)                          \
  if (centered && momentum) RMSPROP(d, 1, 1);       \
  else if (centered) RMSPROP(d, 1, 0);              \
  else if (momentum) RMSPROP(d, 0, 1);              \
  else RMSPROP(d, 0, 0);
  if (decay) {
    RMSPROP_VARIANTS(1)
  } else {
    RMSPROP_VARIANTS(0)
  }
#undef RMSPROP_VARIANTS
#undef RMSPROP
}

static inline __attribute__((always_inline)) void adagrad_loop(const StepSegment *s, long j0,
                                                               long j1, const AdagradConsts *c,
                                                               int decay) {
  const double lr = c->lr, eps = c->eps, sign = c->grad_sign, wd = c->weight_decay;
  const float *restrict p = s->p, *restrict g = s->g, *restrict v = s->m;  // the sum
  float *restrict po = s->out, *restrict vo = s->out + s->n;
  for (long i = j0; i < j1; i++) {
    const double gi = followed(g[i], p[i], sign, wd, decay);
    const float sum = (float)(v[i] + (double)(float)(gi * gi));
    const double std = (float)((double)(float)sqrt((double)sum) + eps);
    po[i] = (float)(p[i] - (double)(float)((double)(float)(gi / std) * lr));
    vo[i] = sum;
  }
}

static void adagrad_range(const StepSegment *s, long j0, long j1, const AdagradConsts *c) {
  if (c->weight_decay != 0) adagrad_loop(s, j0, j1, c, 1);
  else adagrad_loop(s, j0, j1, c, 0);
}

void optim_steps(int kind, const StepSegment *seg, int k, long i0, long i1, const double *consts) {
  // The constants in each kind's struct order (optim-calls.c passes them as doubles).
  const AdamConsts adam = {consts[0], consts[1], consts[2], consts[3], consts[4], consts[5], consts[6], consts[7]};
  const SgdConsts sgd = {consts[0], consts[1], consts[2], consts[3], consts[4], (int)consts[5]};
  const RmspropConsts rms = {consts[0], consts[1], consts[2], consts[3], consts[4], consts[5], consts[6], consts[7] != 0};
  const AdagradConsts ada = {consts[0], consts[1], consts[2], consts[3]};
  for (int s = first_segment(seg, k, i0); s < k && seg[s].start < i1; s++) {
    const long j0 = i0 > seg[s].start ? i0 - seg[s].start : 0;
    const long end = i1 - seg[s].start, j1 = end < seg[s].n ? end : seg[s].n;
    switch (kind) {
      case STEP_ADAM: adam_range(&seg[s], j0, j1, &adam); break;
      case STEP_SGD: sgd_range(&seg[s], j0, j1, &sgd); break;
      case STEP_RMSPROP: rmsprop_range(&seg[s], j0, j1, &rms); break;
      default: adagrad_range(&seg[s], j0, j1, &ada); break;
    }
  }
}
