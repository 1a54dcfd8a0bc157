// Adam's one-pass update (ops/adam-step.ts has the maths) for the native build. The arithmetic
// is the JavaScript kernel's (cpu/adam-step.ts) operation for operation: doubles, m' and v'
// rounded to float32 before θ' uses them, θ' rounded once on store. With -ffp-contract=off
// nothing is fused, so the native update is bitwise the portable one; the compiler vectorizes
// the loop four doubles wide (vsqrtpd, vdivpd), where V8 runs one element per step.
#include <math.h>
#include "optim.h"

void adam_step(const float *restrict p, const float *restrict g, const float *restrict m,
               const float *restrict v, float *out, long n,
               long i0, long i1, const AdamConsts *k) {
  const double b1 = k->one_minus_beta1, beta2 = k->beta2, b2 = k->one_minus_beta2;
  const double step = k->step_size, eps = k->eps;
  float *restrict po = out, *restrict mo = out + n, *restrict vo = out + 2 * n;
  for (long i = i0; i < i1; i++) {
    const double gi = g[i], mi0 = m[i];
    const float mi = (float)(mi0 + b1 * (gi - mi0));
    const float vi = (float)(v[i] * beta2 + gi * gi * b2);
    po[i] = (float)(p[i] - (step * mi) / (sqrt((double)vi) + eps));
    mo[i] = mi;
    vo[i] = vi;
  }
}
