// max, min, argmax and argmin over R of a contiguous float32 x [outer, R, inner]
// (extremes.c), as reduce.ts's folds compute them: the first NaN wins, and among equal values
// (-0 and +0 included) the first one.
#pragma once

enum { EXT_MAX, EXT_MIN, EXT_ARGMAX, EXT_ARGMIN, EXT_OPS };

// Output columns per task when inner > 1 (their running extremes stay in L1).
#define EXT_COLUMNS 256

// Outputs (o, j), j in [j0, j1) of row o (inner > 1): values into vals (max, min) or
// positions along R into idx (argmax, argmin), at o·inner + j.
void extreme_columns(int op, const float *x, long R, long inner, long o, long j0, long j1,
                     float *vals, int *idx);
// Outputs o in [o0, o1) when inner == 1: each the extreme of its contiguous run of R.
void extreme_runs(int op, const float *x, long R, long o0, long o1, float *vals, int *idx);
