// float32 elementwise kernels: the binary arithmetic ops and where over an [outer, inner]
// output whose inputs are contiguous, single values, rows repeated over outer (a bias) or
// columns repeated over inner, and a few unary ops (exp, tanh and sigmoid through
// special.ts's float64 exp). Each element is one IEEE operation on the float32 values, which
// equals what the JavaScript kernels compute (float64, then rounded once: for + - × ÷ and √
// float64's 53 bits make the double rounding exact), so both paths agree bitwise.
// vec.h's lanes and the scalar tails below compute the same thing.
#include "vec.h"
#include "elementwise.h"

typedef union {
  float f;
  unsigned u;
} Bits;

// Math.max / Math.min on float32: NaN wins, -0 < +0.
static inline float smaximum(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return (Bits){.u = ((Bits){.f = a}).u & ((Bits){.f = b}).u}.f;
  return a > b ? a : b;
}
static inline float sminimum(float a, float b) {
  if (a != a || b != b) return a + b;
  if (a == b) return (Bits){.u = ((Bits){.f = a}).u | ((Bits){.f = b}).u}.f;
  return a < b ? a : b;
}

// Elements of o before its first VSTREAM_ALIGN boundary (at most n): vstream needs alignment.
static inline long stream_head(const float *o, long n) {
  const long h = (long)((-(unsigned long)o) & (VSTREAM_ALIGN - 1)) / (long)sizeof(float);
  return h < n ? h : n;
}

// The vector loop of a run, storing with vstream (after a scalar head up to alignment) or
// vstore. S is the scalar element, V the vector one, over x and y as the loop defines them.
// The caller fences the streamed stores once its whole range is written (vstream_fence).
#define VECTOR_LOOP(LOAD, V, S)                                                             \
  if (stream) {                                                                             \
    for (const long h = i + stream_head(o + i, n - i); i < h;) ELEMENT(S);                  \
    for (; i + VW <= n; i += VW) {                                                          \
      LOAD;                                                                                 \
      vstream(o + i, V);                                                                    \
    }                                                                                       \
  } else                                                                                    \
    for (; i + VW <= n; i += VW) {                                                          \
      LOAD;                                                                                 \
      vstore(o + i, V);                                                                     \
    }

// One run of n outputs; sa, sb: whether a and b advance (1) or stay on one value (0). The
// branch on the pattern is outside the loops, so each loop loads only what it needs. stream:
// store with vstream (outputs too large for the cache, see elementwise.h).
#define ELEMENT(S)                                        \
  do {                                                    \
    const float x = a[sa ? i : 0], y = b[sb ? i : 0];     \
    o[i++] = S;                                           \
  } while (0)
#define BINARY_RUN(name, V, S)                                                                 \
  static void name(const float *a, int sa, const float *b, int sb, float *o, long n, int stream) { \
    long i = 0;                                                                                \
    if (sa && sb) {                                                                            \
      VECTOR_LOOP(const vf x = vload(a + i); const vf y = vload(b + i), V, S)                  \
    } else if (sa) {                                                                           \
      const vf y = vsplat(*b);                                                                 \
      VECTOR_LOOP(const vf x = vload(a + i), V, S)                                             \
    } else if (sb) {                                                                           \
      const vf x = vsplat(*a);                                                                 \
      VECTOR_LOOP(const vf y = vload(b + i), V, S)                                             \
    }                                                                                          \
    while (i < n) ELEMENT(S);                                                                  \
  }

BINARY_RUN(add_run, vadd(x, y), x + y)
BINARY_RUN(sub_run, vsub(x, y), x - y)
BINARY_RUN(mul_run, vmul(x, y), x * y)
BINARY_RUN(div_run, vdiv(x, y), x / y)
BINARY_RUN(maximum_run, vmaximum(x, y), smaximum(x, y))
BINARY_RUN(minimum_run, vminimum(x, y), sminimum(x, y))
// The relu gradient g·[y > 0] (x = g, y = the relu's output), as "a * +(b > 0)" computes it.
BINARY_RUN(relu_grad_run, vmul(x, vstep(y)), x * (y > 0 ? 1.0f : 0.0f))
// leakyRelu(x, slope) as "(a > 0 ? a : a * b)": a NaN x takes x·slope (NaN).
BINARY_RUN(leaky_relu_run, vwhere_pos(x, x, vmul(x, y)), x > 0 ? x : x * y)

typedef void (*binary_fn)(const float *, int, const float *, int, float *, long, int);
static const binary_fn BINARY[EW_BINARY_OPS] = {add_run,     sub_run,     mul_run,
                                                div_run,     maximum_run, minimum_run,
                                                relu_grad_run, leaky_relu_run};

void binary_range(int op, EwOperand a, EwOperand b, float *out, long inner, long start, long end,
                  int stream) {
  const binary_fn run = BINARY[op];
  for (long i = start; i < end;) {
    const long r = i / inner, c = i % inner;
    const long n = (end - i < inner - c) ? end - i : inner - c;
    run(a.p + r * a.so + c * a.si, a.si, b.p + r * b.so + c * b.si, b.si, out + i, n, stream);
    i += n;
  }
}

void binary_run(int op, const float *a, int sa, const float *b, int sb, float *out, long n,
                int stream) {
  BINARY[op](a, sa, b, sb, out, n, stream);
}

// One run of comparisons, the operand pattern branched outside the loops as in BINARY_RUN.
#define COMPARE_RUN(name, OP)                                                                  \
  static void name(const float *a, int sa, const float *b, int sb, unsigned char *o, long n) { \
    if (sa && sb)                                                                              \
      for (long i = 0; i < n; i++) o[i] = a[i] OP b[i];                                        \
    else if (sa) {                                                                             \
      const float y = *b;                                                                      \
      for (long i = 0; i < n; i++) o[i] = a[i] OP y;                                           \
    } else if (sb) {                                                                           \
      const float x = *a;                                                                      \
      for (long i = 0; i < n; i++) o[i] = x OP b[i];                                           \
    } else {                                                                                   \
      const unsigned char r = *a OP *b;                                                        \
      for (long i = 0; i < n; i++) o[i] = r;                                                   \
    }                                                                                          \
  }
COMPARE_RUN(gt_run, >)
COMPARE_RUN(lt_run, <)
COMPARE_RUN(ge_run, >=)
COMPARE_RUN(le_run, <=)
COMPARE_RUN(eq_run, ==)
COMPARE_RUN(ne_run, !=)

typedef void (*compare_fn)(const float *, int, const float *, int, unsigned char *, long);
static const compare_fn COMPARE[EW_COMPARE_OPS] = {gt_run, lt_run, ge_run, le_run, eq_run, ne_run};

void compare_range(int op, EwOperand a, EwOperand b, unsigned char *out, long inner, long start,
                   long end) {
  const compare_fn run = COMPARE[op];
  for (long i = start; i < end;) {
    const long r = i / inner, c = i % inner;
    const long n = (end - i < inner - c) ? end - i : inner - c;
    run(a.p + r * a.so + c * a.si, a.si, b.p + r * b.so + c * b.si, b.si, out + i, n);
    i += n;
  }
}

// where over one run: the condition advances (sc 1) or stays on one value, as a and b do.
// Both values are loaded before the choice, so the compiler turns each loop into vector
// blends; the branch on the pattern stays outside the loops.
static void where_run(const unsigned char *c, int sc, const float *a, int sa, const float *b,
                      int sb, float *o, long n) {
  if (!sc) {
    const float *src = *c ? a : b;
    const int s = *c ? sa : sb;
    for (long i = 0; i < n; i++) o[i] = src[s ? i : 0];
  } else if (sa && sb)
    for (long i = 0; i < n; i++) {
      const float x = a[i], y = b[i];
      o[i] = c[i] ? x : y;
    }
  else if (sa) {
    const float y = *b;
    for (long i = 0; i < n; i++) {
      const float x = a[i];
      o[i] = c[i] ? x : y;
    }
  } else if (sb) {
    const float x = *a;
    for (long i = 0; i < n; i++) {
      const float y = b[i];
      o[i] = c[i] ? x : y;
    }
  } else {
    const float x = *a, y = *b;
    for (long i = 0; i < n; i++) o[i] = c[i] ? x : y;
  }
}

void where_range(EwCond c, EwOperand a, EwOperand b, float *out, long inner, long start, long end) {
  for (long i = start; i < end;) {
    const long r = i / inner, col = i % inner;
    const long n = (end - i < inner - col) ? end - i : inner - col;
    where_run(c.p + r * c.so + col * c.si, c.si, a.p + r * a.so + col * a.si, a.si,
              b.p + r * b.so + col * b.si, b.si, out + i, n);
    i += n;
  }
}

#undef ELEMENT
#define ELEMENT(S)           \
  do {                       \
    const float x = a[i];    \
    o[i++] = S;              \
  } while (0)
#define UNARY_RUN(name, V, S)                                          \
  static void name(const float *a, float *o, long n, int stream) {    \
    long i = 0;                                                        \
    VECTOR_LOOP(const vf x = vload(a + i), V, S)                       \
    while (i < n) ELEMENT(S);                                          \
  }

// relu keeps NaN (as PyTorch does) and maps -0 to +0, like reluKernel's bit test.
UNARY_RUN(relu_run, vrelu(x), (x > 0 || x != x) ? x : 0.0f)
UNARY_RUN(neg_run, vneg(x), -x)
UNARY_RUN(abs_run, vabs(x), __builtin_fabsf(x))
UNARY_RUN(sqrt_run, vsqrt(x), __builtin_sqrtf(x))

// exp and the functions built on it, as ../special.ts's expf computes them in float64 (the same
// table, cubic and operation order, no contraction: -ffp-contract=off), so both paths agree
// bitwise; outside the table's range both call the library exp (Infinity, 0, NaN included).
#define EXP_STEPS 64
static double exp_fraction[EXP_STEPS], exp_octave[256];

// 2^(j/64) and 2^(i−127), special.ts's FRACTION and OCTAVE: the powers of two are exact, and
// glibc's exp2 rounds 2^(j/64) as V8's 2 ** (j / 64) does (the native elementwise tests
// compare every entry, through results, with the JavaScript kernels bitwise).
__attribute__((constructor)) static void exp_tables(void) {
  for (int j = 0; j < EXP_STEPS; j++) exp_fraction[j] = __builtin_exp2((double)j / EXP_STEPS);
  for (int i = 0; i < 256; i++) exp_octave[i] = __builtin_ldexp(1.0, i - 127);
}

// The table path of special.ts's expf, for x in (−87, 88).
static inline double exp_table(double x) {
  const double steps_per_nat = EXP_STEPS / 0.6931471805599453;
  const double ln2_hi = 0.6931471803691238 / EXP_STEPS, ln2_lo = 1.9082149292705877e-10 / EXP_STEPS;
  const double round = 6755399441055744.0;
  const double k = x * steps_per_nat + round - round;
  const double r = x - k * ln2_hi - k * ln2_lo;
  const int ki = (int)k;
  return (1 + r * (1 + r * (0.5 + r * (1.0 / 6)))) * exp_fraction[ki & (EXP_STEPS - 1)] *
         exp_octave[(ki >> 6) + 127];
}
static inline int exp_in_table(double x) { return (x > -87) & (x < 88); }  // & : no branch
static inline double exp_js(double x) { return exp_in_table(x) ? exp_table(x) : __builtin_exp(x); }

// special.ts's tanhf: a series near zero (where 1 − 2/(e^2x + 1) cancels), else through exp.
static inline int tanh_series(double x) { return (x > -0.0625) & (x < 0.0625); }
static inline double tanh_poly(double x) {
  const double x2 = x * x;
  return x * (1 + x2 * (-1.0 / 3 + x2 * (2.0 / 15 - x2 * (17.0 / 315))));
}
static inline double tanh_js(double x) {
  return tanh_series(x) ? tanh_poly(x) : 1 - 2 / (exp_js(2 * x) + 1);
}

// One element at a time in float64 (the table lookups and the rare library call keep GCC
// from vectorizing these loops; still ~2× the loop engine's calls into special.ts).
#define SCALAR_RUN(name, S)                                         \
  static void name(const float *a, float *o, long n, int stream) { \
    (void)stream; /* compute-bound: no streaming */                 \
    for (long i = 0; i < n; i++) {                      \
      const double x = a[i];                            \
      o[i] = (float)(S);                                \
    }                                                   \
  }
SCALAR_RUN(exp_run, exp_js(x))
SCALAR_RUN(tanh_run, tanh_js(x))
SCALAR_RUN(sigmoid_run, 1 / (1 + exp_js(-x)))

typedef void (*unary_fn)(const float *, float *, long, int);
static const unary_fn UNARY[EW_UNARY_OPS] = {relu_run, neg_run,  abs_run,    sqrt_run,
                                              exp_run,  tanh_run, sigmoid_run};

void unary_run(int op, const float *a, float *out, long n, int stream) {
  UNARY[op](a, out, n, stream);
}

