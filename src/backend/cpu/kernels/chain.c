// Deferred elementwise chains (chain.h): the output is computed a block at a time, and every
// step of the chain runs over that block before the next one starts, so the intermediate
// results live in registers of CHAIN_BLOCK floats that stay in the L1 cache. Memory traffic is
// the leaves read once and the output written once, where running the steps one at a time
// writes and reads back every intermediate (relu(a*b+c) over 4M floats: 64 MB against 160 MB).
#include "vec.h"
#include "elementwise.h"
#include "chain.h"

// 2 KB per register: CHAIN_MAX_STEPS of them fill half of a 32 KB L1 data cache.
#define CHAIN_BLOCK 512

typedef struct {
  const float *p;
  int advances;  // 1: element k of the block is p[k]; 0: p[0] for every element
} Source;

// Where argument a's block starts, for a block at flat element i, row r, column col.
static Source source(const Chain *c, ChainArg a, float (*regs)[CHAIN_BLOCK], long i, long r,
                     long col) {
  switch (a.kind) {
    case CHAIN_LEAF: return (Source){c->leaf[a.index] + i, 1};
    case CHAIN_ROW: return (Source){c->leaf[a.index] + col, 1};
    case CHAIN_COLUMN: return (Source){c->leaf[a.index] + r, 0};
    case CHAIN_CONSTANT: return (Source){&c->constant[a.index], 0};
    default: return (Source){regs[a.index], 1};
  }
}

// Every step over the block of n elements from flat element i (row r, column col; the block
// stays within the row).
static void chain_block(const Chain *c, float (*regs)[CHAIN_BLOCK], float *out, long i, long r,
                        long col, long n, int stream) {
  const int last = c->steps - 1;
  for (int s = 0; s <= last; s++) {
    const ChainStep *st = &c->step[s];
    // Only the output goes to memory; registers are reused by the next block.
    float *o = s == last ? out + i : regs[s];
    const int streamed = s == last && stream;
    const Source x = source(c, st->x, regs, i, r, col);
    if (st->unary) {
      unary_run(st->op, x.p, o, n, streamed);
    } else {
      const Source y = source(c, st->y, regs, i, r, col);
      binary_run(st->op, x.p, x.advances, y.p, y.advances, o, n, streamed);
    }
  }
}

void chain_range(const Chain *c, float *out, long start, long end, int stream) {
  float regs[CHAIN_MAX_STEPS][CHAIN_BLOCK] __attribute__((aligned(64)));  // 16 KB of stack
  for (long i = start; i < end;) {
    const long r = i / c->inner, col = i % c->inner;
    const long row_left = c->inner - col, left = end - i;
    const long n = left < row_left ? left : row_left;
    const long block = n < CHAIN_BLOCK ? n : CHAIN_BLOCK;
    chain_block(c, regs, out, i, r, col, block, stream);
    i += block;
  }
}
