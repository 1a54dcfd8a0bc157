// Sums of float32 in float64 (as the JavaScript kernels sum), split into tasks of fixed size:
// a task adds a block of R (rows of a column strip, or a stretch of one contiguous run) into
// its own partial, and sum_finish adds each output's partials in order. The blocking depends
// on the shape alone, so the result is bitwise the same whichever threads ran the tasks.
#include "vec.h"
#include "reduce.h"

// Elements per task of a contiguous run (inner == 1), and per task of rows (inner > 1).
#define RUN_BLOCK 16384
#define ROWS_BLOCK_ELEMENTS 65536

static inline long ceil_div(long a, long b) { return (a + b - 1) / b; }

void sum_plan(SumPlan *p, const float *x, long outer, long R, long inner, long groups) {
  p->x = x, p->outer = outer, p->R = R, p->inner = inner, p->groups = groups;
  if (inner == 1) {
    p->block = RUN_BLOCK;
    p->cblocks = 1;
  } else {
    const long rows = ROWS_BLOCK_ELEMENTS / inner;
    p->block = rows < 1 ? 1 : rows;
    p->cblocks = ceil_div(inner, SUM_COLUMNS);
  }
  p->rblocks = ceil_div(R, p->block);
  p->partials = 0;
}

long sum_tasks(const SumPlan *p) { return p->outer * p->rblocks * p->cblocks; }
long sum_partials(const SumPlan *p) { return p->outer * p->rblocks * p->inner; }

// x[0 .. n) in float64, four vector chains then the tail, in one fixed order.
static double run_sum(const float *x, long n) {
  vd a0 = vdzero(), a1 = vdzero(), b0 = vdzero(), b1 = vdzero();
  long i = 0;
  for (; i + 2 * VW <= n; i += 2 * VW) {
    vdacc(x + i, &a0, &a1);
    vdacc(x + i + VW, &b0, &b1);
  }
  for (; i + VW <= n; i += VW) vdacc(x + i, &a0, &a1);
  double tail = 0;
  for (; i < n; i++) tail += x[i];
  return vdsum(vdadd(vdadd(a0, b0), vdadd(a1, b1))) + tail;
}

// acc[j] = Σ over rows [r0, r1) of x[r·inner + c0 + j], j < w: four rows at a time are added
// ((r0 + r1) + (r2 + r3)) and then to acc, so acc (in L1) is loaded and stored once per four
// rows; the leftover rows one by one. The order depends on r0, r1 only.
static void columns_sum(const float *x, long inner, long r0, long r1, long c0, long w, double *acc) {
  for (long j = 0; j < w; j++) acc[j] = 0;
  long r = r0;
  for (; r + 4 <= r1; r += 4) {
    const float *p0 = x + r * inner + c0, *p1 = p0 + inner, *p2 = p1 + inner, *p3 = p2 + inner;
    long j = 0;
    for (; j + VW <= w; j += VW) {
      vd s01lo = vdzero(), s01hi = vdzero(), s23lo = vdzero(), s23hi = vdzero();
      vdacc(p0 + j, &s01lo, &s01hi);
      vdacc(p1 + j, &s01lo, &s01hi);
      vdacc(p2 + j, &s23lo, &s23hi);
      vdacc(p3 + j, &s23lo, &s23hi);
      vdstore(acc + j, vdadd(vdload(acc + j), vdadd(s01lo, s23lo)));
      vdstore(acc + j + VDW, vdadd(vdload(acc + j + VDW), vdadd(s01hi, s23hi)));
    }
    for (; j < w; j++)
      acc[j] += ((0.0 + p0[j]) + p1[j]) + ((0.0 + p2[j]) + p3[j]);
  }
  for (; r < r1; r++) {
    const float *row = x + r * inner + c0;
    long j = 0;
    for (; j + VW <= w; j += VW) {
      vd lo = vdload(acc + j), hi = vdload(acc + j + VDW);
      vdacc(row + j, &lo, &hi);
      vdstore(acc + j, lo);
      vdstore(acc + j + VDW, hi);
    }
    for (; j < w; j++) acc[j] += row[j];
  }
}

void sum_tasks_run(const SumPlan *p, long t0, long t1) {
  for (long t = t0; t < t1; t++) {
    const long cb = t % p->cblocks, rb = (t / p->cblocks) % p->rblocks;
    const long o = t / (p->cblocks * p->rblocks);
    const long r0 = rb * p->block, r1 = r0 + p->block < p->R ? r0 + p->block : p->R;
    const float *x = p->x + o * p->R * p->inner;
    double *dst = p->partials + (o * p->rblocks + rb) * p->inner;
    if (p->inner == 1) {
      *dst = run_sum(x + r0, r1 - r0);
    } else {
      const long c0 = cb * SUM_COLUMNS;
      const long w = c0 + SUM_COLUMNS < p->inner ? SUM_COLUMNS : p->inner - c0;
      columns_sum(x, p->inner, r0, r1, c0, w, dst + c0);
    }
  }
}

// Each output's partials are added in (group, rb) order into the first block's row (in place),
// so the pass reads the partials row by row.
void sum_finish(const SumPlan *p, float *out) {
  const long kept = p->outer / p->groups, row = p->rblocks * p->inner;
  for (long o = 0; o < kept; o++) {
    double *first = p->partials + o * row;
    for (long g = 0; g < p->groups; g++)
      for (long rb = g == 0 ? 1 : 0; rb < p->rblocks; rb++) {
        const double *part = p->partials + (g * kept + o) * row + rb * p->inner;
        for (long j = 0; j < p->inner; j++) first[j] += part[j];
      }
    for (long j = 0; j < p->inner; j++) out[o * p->inner + j] = (float)first[j];
  }
}
