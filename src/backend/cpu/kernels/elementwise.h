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
// Comparisons giving 0/1 bytes; the order is native/elementwise.ts's NATIVE_COMPARE.
enum { EW_GT, EW_LT, EW_GE, EW_LE, EW_EQ, EW_NE, EW_COMPARE_OPS };
// Unary ops; the order is native/elementwise.ts's NATIVE_UNARY.
enum { EW_RELU, EW_NEG, EW_ABS, EW_SQRT, EW_EXP, EW_TANH, EW_SIGMOID, EW_UNARY_OPS };

// An input of an output seen as [outer, inner]: element (r, c) is p[r·so + c·si], si 0 or 1
// (same shape: so = inner, si = 1; one value: 0, 0; a row repeated: 0, 1; a column: 1, 0).
typedef struct {
  const float *p;
  long so;
  int si;
} EwOperand;

// Outputs of at least this many bytes are written with non-temporal stores (stream = 1): an
// output that size does not stay in the cache for the next op anyway (with its inputs it
// overflows a 32 MB L3), and a plain store first reads each line it writes. relu(a*b+c) over
// 4M floats (16 MB arrays) on a Zen 3 core: 7.0 → 4.2 ms one thread, 4.1 → 3.6 ms two; at
// 1M floats (4 MB) streaming is 6% slower, at 2M (8 MB) 15% faster.
#define EW_STREAM_BYTES (8L << 20)

// out[i] = a[i] op b[i] for the output's elements [start, end) (out contiguous). With stream,
// the caller runs vstream_fence() after the last call whose results another thread reads.
void binary_range(int op, EwOperand a, EwOperand b, float *out, long inner, long start, long end,
                  int stream);
// out[i] = a[sa ? i : 0] op b[sb ? i : 0] for i in [0, n): one run of a binary op (chain.c's
// steps), sa or sb 1 unless n is 1.
void binary_run(int op, const float *a, int sa, const float *b, int sb, float *out, long n,
                int stream);
// out[i] = a[i] op b[i] ? 1 : 0 for the output's elements [start, end) (out contiguous bytes):
// a NaN compares false, and unequal (!=), as in JavaScript.
void compare_range(int op, EwOperand a, EwOperand b, unsigned char *out, long inner, long start,
                   long end);

// A bool condition addressed like an operand: element (r, c) is p[r·so + c·si] (0 or 1).
typedef struct {
  const unsigned char *p;
  long so;
  int si;
} EwCond;

// out[i] = c[i] ? a[i] : b[i] for the output's elements [start, end) (out contiguous): a
// copy of the chosen value, bitwise.
void where_range(EwCond c, EwOperand a, EwOperand b, float *out, long inner, long start, long end);

// out[i] = op(a[i]) for i in [0, n).
void unary_run(int op, const float *a, float *out, long n, int stream);

