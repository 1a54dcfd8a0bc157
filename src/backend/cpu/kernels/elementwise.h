// float32 elementwise kernels (elementwise.c) over contiguous operands and their common
// broadcasts, for the native build.
#pragma once

// Binary ops; the order is native/elementwise.ts's NATIVE_BINARY.
enum {
  EW_ADD,
  EW_SUB,
  EW_MUL,
  EW_DIV,
  EW_MAXIMUM,
  EW_MINIMUM,
  EW_RELU_GRAD,
  EW_LEAKY_RELU,
  EW_BINARY_OPS
};
// Unary ops; the order is native/elementwise.ts's NATIVE_UNARY.
enum { EW_RELU, EW_NEG, EW_ABS, EW_SQRT, EW_EXP, EW_TANH, EW_SIGMOID, EW_UNARY_OPS };

// An input of an output seen as [outer, inner]: element (r, c) is p[r·so + c·si], si 0 or 1
// (same shape: so = inner, si = 1; one value: 0, 0; a row repeated: 0, 1; a column: 1, 0).
typedef struct {
  const float *p;
  long so;
  int si;
} EwOperand;

// out[i] = a[i] op b[i] for the output's elements [start, end) (out contiguous).
void binary_range(int op, EwOperand a, EwOperand b, float *out, long inner, long start, long end);
// out[i] = op(a[i]) for i in [0, n).
void unary_run(int op, const float *a, float *out, long n);

