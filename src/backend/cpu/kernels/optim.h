// Optimizer updates of the native build (optim.c) over a list of parameters at once: the
// element range [i0, i1) of their concatenation, run by native/optim-calls.c on the pool's
// threads (ops/optim-steps.ts has the maths and the output layout).
#pragma once

// One parameter's operands and where its results go. Adam reads p, g, m (first moment),
// v (second); SGD reads p, g and m (its momentum buffer); RMSprop p, g, v (the average of g²),
// m (of g, centered) and b (its momentum buffer); Adagrad p, g and m (the sum of g²). out holds
// the parameter's results side by side, n values each: θ' first, then the state in that order
// (those the update keeps).
typedef struct {
  const float *p, *g, *m, *v, *b;
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

typedef struct {
  double lr, alpha, one_minus_alpha, eps, momentum, grad_sign, weight_decay;
  int centered;
} RmspropConsts;

typedef struct {
  // lr / (1 + (step − 1)·lr_decay).
  double lr, eps, grad_sign, weight_decay;
} AdagradConsts;

// The update kinds, in the order of native/optim-calls.c's exports.
enum { STEP_ADAM, STEP_SGD, STEP_RMSPROP, STEP_ADAGRAD };

// The element range [i0, i1) of the concatenation of k segments (sorted by start); consts
// points to the kind's constants.
void optim_steps(int kind, const StepSegment *seg, int k, long i0, long i1, const double *consts);
