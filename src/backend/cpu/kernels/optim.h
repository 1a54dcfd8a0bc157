// Optimizer updates of the native build (optim.c), run by addon.c on the pool's threads.
#pragma once

// Adam's one-pass update constants (ops/adam-step.ts): each a float32 value held as a double.
typedef struct {
  double one_minus_beta1, beta2, one_minus_beta2, step_size, eps;
} AdamConsts;

// Elements [i0, i1) of Adam's update of n values: out[i] = θ', out[n + i] = m', out[2n + i] = v'.
void adam_step(const float *p, const float *g, const float *m, const float *v, float *out, long n,
               long i0, long i1, const AdamConsts *k);
