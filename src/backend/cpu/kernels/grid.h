// How a product's C [M, N] splits into chunks for `threads` threads, for the native addon's
// pool and the wasm jobs alike (one definition, inlined: the wasm build keeps no C stack).
#pragma once
#include "vec.h"

// Rows and columns of C per chunk, chunks per row of the grid, and the chunk count.
typedef struct {
  int rows, cols, grid_columns, chunks;
} GemmGrid;

static inline int grid_min(int a, int b) { return a < b ? a : b; }
static inline int grid_round(int x, int unit) { return (x + unit - 1) / unit * unit; }

// A grid of chunks, rows × columns of C (whole micro-tiles by whole strips), two per thread,
// claimed dynamically. A chunk packs its rows of A and its columns of B, so a grid of R × C
// chunks packs A C times over and B R times: the grid with the least packing (C·M + R·N
// floats per k) wins, more rows on a tie. Against the former blocks of rows or of columns,
// four per thread (native, bare kernel, back to back, median): a Linear layer's x·Wᵀ, 64×784
// by 128×784, 329 → 232 µs on two threads and 229 → 176 µs on one (one chunk, where four
// packed A four times); 256³ 520 → 470 µs. One chunk per thread was 2–9% faster still on a
// quiet machine, but leaves a descheduled thread's share waiting.
static inline GemmGrid gemm_grid(int M, int N, int threads) {
  const int target = threads <= 1 ? 1 : threads * 2;
  int rows = 0, cols = 0;
  double least = -1;
  for (int r = 1; r <= target; r++) {
    const int c = target / r;
    if (target % r || (r > 1 && M < r * MR) || (c > 1 && N < c * NR)) continue;
    const double packed = (double)c * M + (double)r * N;
    if (least < 0 || packed <= least) rows = r, cols = c, least = packed;
  }
  if (least < 0) {  // too small for a full grid: blocks along the longer side in tiles
    const int by_rows = M / MR >= N / NR;
    rows = by_rows ? grid_min(target, (M + MR - 1) / MR) : 1;
    cols = by_rows ? 1 : grid_min(target, (N + NR - 1) / NR);
  }
  GemmGrid g = {grid_round((M + rows - 1) / rows, MR), grid_round((N + cols - 1) / cols, NR), 0, 0};
  g.grid_columns = (N + g.cols - 1) / g.cols;
  g.chunks = (M + g.rows - 1) / g.rows * g.grid_columns;
  return g;
}
