// float32 elementwise kernels: the binary arithmetic ops over an [outer, inner] output whose
// inputs are contiguous, single values, rows repeated over outer (a bias) or columns repeated
// over inner, and a few unary ops. Each element is one IEEE operation on the float32 values,
// which equals what the JavaScript kernels compute (float64, then rounded once: for + - × ÷
// and √ float64's 53 bits make the double rounding exact), so both paths agree bitwise.
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

// One run of n outputs; sa, sb: whether a and b advance (1) or stay on one value (0). The
// branch on the pattern is outside the loops, so each loop loads only what it needs.
#define BINARY_RUN(name, V, S)                                                              \
  static void name(const float *a, int sa, const float *b, int sb, float *o, long n) {     \
    long i = 0;                                                                             \
    if (sa && sb)                                                                           \
      for (; i + VW <= n; i += VW) {                                                        \
        const vf x = vload(a + i), y = vload(b + i);                                        \
        vstore(o + i, V);                                                                   \
      }                                                                                     \
    else if (sa) {                                                                          \
      const vf y = vsplat(*b);                                                              \
      for (; i + VW <= n; i += VW) {                                                        \
        const vf x = vload(a + i);                                                          \
        vstore(o + i, V);                                                                   \
      }                                                                                     \
    } else if (sb) {                                                                        \
      const vf x = vsplat(*a);                                                              \
      for (; i + VW <= n; i += VW) {                                                        \
        const vf y = vload(b + i);                                                          \
        vstore(o + i, V);                                                                   \
      }                                                                                     \
    }                                                                                       \
    for (; i < n; i++) {                                                                    \
      const float x = a[sa ? i : 0], y = b[sb ? i : 0];                                     \
      o[i] = S;                                                                             \
    }                                                                                       \
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

typedef void (*binary_fn)(const float *, int, const float *, int, float *, long);
static const binary_fn BINARY[EW_BINARY_OPS] = {add_run,     sub_run,     mul_run,
                                                div_run,     maximum_run, minimum_run,
                                                relu_grad_run, leaky_relu_run};

void binary_range(int op, EwOperand a, EwOperand b, float *out, long inner, long start, long end) {
  const binary_fn run = BINARY[op];
  for (long i = start; i < end;) {
    const long r = i / inner, c = i % inner;
    const long n = (end - i < inner - c) ? end - i : inner - c;
    run(a.p + r * a.so + c * a.si, a.si, b.p + r * b.so + c * b.si, b.si, out + i, n);
    i += n;
  }
}

#define UNARY_RUN(name, V, S)                                          \
  static void name(const float *a, float *o, long n) {                \
    long i = 0;                                                        \
    for (; i + VW <= n; i += VW) {                                     \
      const vf x = vload(a + i);                                       \
      vstore(o + i, V);                                                \
    }                                                                  \
    for (; i < n; i++) {                                               \
      const float x = a[i];                                            \
      o[i] = S;                                                        \
    }                                                                  \
  }

// relu keeps NaN (as PyTorch does) and maps -0 to +0, like reluKernel's bit test.
UNARY_RUN(relu_run, vrelu(x), (x > 0 || x != x) ? x : 0.0f)
UNARY_RUN(neg_run, vneg(x), -x)
UNARY_RUN(abs_run, vabs(x), __builtin_fabsf(x))
UNARY_RUN(sqrt_run, vsqrt(x), __builtin_sqrtf(x))

typedef void (*unary_fn)(const float *, float *, long);
static const unary_fn UNARY[EW_UNARY_OPS] = {relu_run, neg_run, abs_run, sqrt_run};

void unary_run(int op, const float *a, float *out, long n) { UNARY[op](a, out, n); }

