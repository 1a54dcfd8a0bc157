// Optimizer updates of the native build (optim.c) over a list of parameters at once: the
// element range [i0, i1) of their concatenation, run by native/optim-calls.c on the pool's
// threads (ops/optim-steps.ts has the maths and the output layout).
#pragma once

// One parameter's operands and where its results go. Adam reads p, g, m (first moment),
// v (second); SGD reads p, g and m (its momentum buffer). out holds the parameter's results
// side by side: θ' [0, n), then m' [n, 2n) and v' [2n, 3n) as far as the update has them.
typedef struct {
  const float *p, *g, *m, *v;
  float *out;
  long n;
  // Index of the segment's first element in the concatenation.
  long start;
  // SGD only: no momentum buffer yet (the first step), the buffer starts as the gradient.
  int fresh;
} StepSegment;

// Every constant is a float32 value held as a double. The gradient an update follows is
// grad_sign·g + weight_decay·θ (PyTorch's maximize and coupled L2 decay); AdamW's decoupled
// decay multiplies θ by param_scale first.
typedef struct {
  double one_minus_beta1, beta2, one_minus_beta2, step_size, eps;
  double grad_sign, weight_decay, param_scale;
} AdamConsts;

typedef struct {
  double lr, momentum, one_minus_dampening, grad_sign, weight_decay;
  // 0: θ − lr·g; 1: heavy-ball momentum; 2: Nesterov.
  int mode;
} SgdConsts;

// The element range [i0, i1) of the concatenation of k segments (sorted by start).
void adam_steps(const StepSegment *seg, int k, long i0, long i1, const AdamConsts *c);
void sgd_steps(const StepSegment *seg, int k, long i0, long i1, const SgdConsts *c);
