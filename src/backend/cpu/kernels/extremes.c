// The extreme (max or min) of each run of R values, or its position, as reduce.ts's folds
// find it: a value replaces the running one when it is larger (smaller for min) or NaN, and
// nothing replaces a NaN, so the first NaN wins and ties keep the first value. Columns
// (inner > 1) keep one running extreme per output column and step through R a row at a time
// (the loop over columns vectorizes). A contiguous run (inner == 1) keeps LANES running
// extremes over interleaved positions, then picks among them the one the serial fold would
// have kept: a NaN before any number, the largest value, and on a tie or between NaNs the
// earliest position.
#include "extremes.h"

#define LANES 8

// Whether v replaces the running extreme a: never once a is NaN; else when v is NaN or beats a.
static inline int replaces(int is_max, float v, float a) {
  return (a == a) & ((is_max ? v > a : v < a) | (v != v));
}

void extreme_columns(int op, const float *x, long R, long inner, long o, long j0, long j1,
                     float *vals, int *idx) {
  const int is_max = op == EXT_MAX || op == EXT_ARGMAX;
  const float *base = x + o * R * inner + j0;
  const long n = j1 - j0;
  float acc[EXT_COLUMNS];
  int at[EXT_COLUMNS];
  for (long j = 0; j < n; j++) acc[j] = base[j], at[j] = 0;
  for (long r = 1; r < R; r++) {
    const float *row = base + r * inner;
    for (long j = 0; j < n; j++) {
      const float v = row[j], a = acc[j];
      const int u = replaces(is_max, v, a);
      acc[j] = u ? v : a;
      at[j] = u ? (int)r : at[j];
    }
  }
  float *ov = vals ? vals + o * inner + j0 : 0;
  int *oi = idx ? idx + o * inner + j0 : 0;
  for (long j = 0; j < n; j++) {
    if (ov) ov[j] = acc[j];
    if (oi) oi[j] = at[j];
  }
}

// Whether lane k's (v, i) is what the serial fold keeps over lane best's (a, b).
static inline int lane_wins(int is_max, float v, long i, float a, long b) {
  if (v != v) return a == a || i < b;  // a NaN beats a number; the earlier of two NaNs
  if (a != a) return 0;
  if (v == a) return i < b;
  return is_max ? v > a : v < a;
}

// One run of R values from p: its extreme and position (the serial fold's).
static void extreme_run(int is_max, const float *p, long R, float *value, long *pos) {
  float a = p[0];
  long b = 0;
  if (R >= 2 * LANES) {
    float acc[LANES];
    long at[LANES];
    for (int k = 0; k < LANES; k++) acc[k] = p[k], at[k] = k;
    long i = LANES;
    for (; i + LANES <= R; i += LANES)
      for (int k = 0; k < LANES; k++) {
        const float v = p[i + k];
        const int u = replaces(is_max, v, acc[k]);
        acc[k] = u ? v : acc[k];
        at[k] = u ? i + k : at[k];
      }
    a = acc[0], b = at[0];
    for (int k = 1; k < LANES; k++)
      if (lane_wins(is_max, acc[k], at[k], a, b)) a = acc[k], b = at[k];
    for (; i < R; i++)  // the tail comes after every lane's positions
      if (replaces(is_max, p[i], a)) a = p[i], b = i;
  } else {
    for (long i = 1; i < R; i++)
      if (replaces(is_max, p[i], a)) a = p[i], b = i;
  }
  *value = a;
  *pos = b;
}

void extreme_runs(int op, const float *x, long R, long o0, long o1, float *vals, int *idx) {
  const int is_max = op == EXT_MAX || op == EXT_ARGMAX;
  for (long o = o0; o < o1; o++) {
    float v;
    long at;
    extreme_run(is_max, x + o * R, R, &v, &at);
    if (vals) vals[o] = v;
    if (idx) idx[o] = (int)at;
  }
}
