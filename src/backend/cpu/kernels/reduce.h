// float32 sums in float64 (reduce.c) over a contiguous input seen as [outer, R, inner], R
// summed; the work is tasks whose partial sums do not depend on how tasks meet threads.
#pragma once

typedef struct {
  const float *x;
  long outer, R, inner;
  long groups;   // outputs o and o + k·(outer / groups) add into one (leading dims reduced too)
  long block;    // rows of R per task (inner > 1) or elements per task (inner == 1)
  long rblocks;  // tasks along R: ceil(R / block)
  long cblocks;  // tasks along inner (inner > 1): ceil(inner / SUM_COLUMNS)
  double *partials;  // [outer, rblocks, inner]
} SumPlan;

// Columns of one task when inner > 1: the task's float64 sums stay in L1.
#define SUM_COLUMNS 512

// Fills the plan's blocking for x [outer, R, inner] (partials left to the caller: sum_partials
// doubles); groups > 1 sums [groups, outer / groups, R, inner] over its first dim as well
// (a per-channel sum over [N, C, H·W]). Block sizes depend on the shape only, never on the
// thread count.
void sum_plan(SumPlan *p, const float *x, long outer, long R, long inner, long groups);
long sum_tasks(const SumPlan *p);
long sum_partials(const SumPlan *p);
// Runs tasks [t0, t1) into the partials.
void sum_tasks_run(const SumPlan *p, long t0, long t1);
// out[o·inner + j] = the partials of (o, j) (of every group) added in order, rounded to float32.
void sum_finish(const SumPlan *p, float *out);
