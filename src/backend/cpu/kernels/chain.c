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
  int advances;  // 1: element i is p[i]; 0: p[0] for every element
} Source;

static Source source(const Chain *c, ChainArg a, float (*regs)[CHAIN_BLOCK], long i) {
  if (a.kind == CHAIN_LEAF) return (Source){c->leaf[a.index] + i, 1};
  if (a.kind == CHAIN_CONSTANT) return (Source){&c->constant[a.index], 0};
  return (Source){regs[a.index], 1};
}

void chain_range(const Chain *c, float *out, long start, long end, int stream) {
  float regs[CHAIN_MAX_STEPS][CHAIN_BLOCK] __attribute__((aligned(64)));  // 16 KB of stack
  const int last = c->steps - 1;
  for (long i = start; i < end; i += CHAIN_BLOCK) {
    const long n = end - i < CHAIN_BLOCK ? end - i : CHAIN_BLOCK;
    for (int s = 0; s <= last; s++) {
      const ChainStep *st = &c->step[s];
      // Only the output goes to memory; registers are reused by the next block.
      float *o = s == last ? out + i : regs[s];
      const int streamed = s == last && stream;
      // A leaf or register advances from block offset i; a register starts at 0.
      const Source x = source(c, st->x, regs, st->x.kind == CHAIN_LEAF ? i : 0);
      if (st->unary) {
        unary_run(st->op, x.p, o, n, streamed);
      } else {
        const Source y = source(c, st->y, regs, st->y.kind == CHAIN_LEAF ? i : 0);
        binary_run(st->op, x.p, x.advances, y.p, y.advances, o, n, streamed);
      }
    }
  }
}
