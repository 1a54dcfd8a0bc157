// Deferred elementwise chains (chain.c): a few float32 elementwise steps over contiguous
// operands, run in one pass over the output. Steps are elementwise.c's binary and unary runs,
// each writing its block of results to a register the later steps read, so a chain's result
// equals, bitwise, the steps run one at a time with float32 outputs in between.
#pragma once

#define CHAIN_MAX_STEPS 8
#define CHAIN_MAX_LEAVES 6
#define CHAIN_MAX_CONSTANTS 16

// What a step reads: a leaf array, a constant (one value for every element) or an earlier
// step's result. The output is seen as [outer, inner] rows; a leaf array holds element (r, c)
// at p[r·inner + c] (CHAIN_LEAF), p[c] (CHAIN_ROW: repeated over rows, a bias) or p[r]
// (CHAIN_COLUMN: one value per row, a keepdim reduction's result).
enum { CHAIN_LEAF, CHAIN_CONSTANT, CHAIN_STEP, CHAIN_ROW, CHAIN_COLUMN };

typedef struct {
  int kind, index;
} ChainArg;

// op is elementwise.h's binary code, or its unary code when unary (then y is unused).
typedef struct {
  int unary, op;
  ChainArg x, y;
} ChainStep;

typedef struct {
  int steps;
  long inner;  // elements per row of the output (the whole output when no leaf is a row or column)
  ChainStep step[CHAIN_MAX_STEPS];
  const float *leaf[CHAIN_MAX_LEAVES];
  float constant[CHAIN_MAX_CONSTANTS];
} Chain;

// out[i] = the chain's last step at element i, for i in [start, end). With stream, the caller
// runs vstream_fence() after the last call whose results another thread reads.
void chain_range(const Chain *c, float *out, long start, long end, int stream);
