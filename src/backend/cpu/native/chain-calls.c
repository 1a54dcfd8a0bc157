// chain(leaves..., out, params): one deferred elementwise chain (../kernels/chain.h) over n
// output elements, split into chunks across pool.c's threads. Arguments: 1 to
// CHAIN_MAX_LEAVES Float32Arrays (the leaves), the output Float32Array, and a Float64Array:
//   [steps, leaves, n, threads, out offset, inner, leaf offsets (CHAIN_MAX_LEAVES),
//    leaf layouts (CHAIN_MAX_LEAVES: CHAIN_LEAF, CHAIN_ROW or CHAIN_COLUMN),
//    per step: unary, op, x kind, x index, y kind, y index (CHAIN_MAX_STEPS of them; a leaf
//    argument says CHAIN_LEAF and takes its leaf's layout), constants (CHAIN_MAX_CONSTANTS)]
// Every op code, argument and span is checked before anything runs: a wrong argument throws,
// never crashes.
#include "chain-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/vec.h"
#include "../kernels/elementwise.h"
#include "../kernels/chain.h"

#define HEADER 6
#define LEAF_FIELDS (2 * CHAIN_MAX_LEAVES)
#define STEP_FIELDS 6
#define PARAMS (HEADER + LEAF_FIELDS + STEP_FIELDS * CHAIN_MAX_STEPS + CHAIN_MAX_CONSTANTS)
// As elementwise-calls.c: below this many elements a chunk is not worth a thread.
#define CHAIN_MIN_CHUNK 16384

typedef struct {
  Chain chain;
  float *out;
  long n, per_chunk;
  int stream;
} ChainJob;

static void chain_chunk(void *ctx, int c, float *scratch) {
  (void)scratch;
  const ChainJob *j = ctx;
  const long start = c * j->per_chunk, end = start + j->per_chunk < j->n ? start + j->per_chunk : j->n;
  chain_range(&j->chain, j->out, start, end, j->stream);
  if (j->stream) vstream_fence();  // the streamed lines land before the chunk reports done
}

// Argument a of step s as the kernel reads it (a leaf takes its layout), or kind -1 when it
// reads nothing that exists. Only a binary step reads broadcast values: a unary step's x has
// the output's shape (a full leaf or an earlier step).
static ChainArg resolve(ChainArg a, int s, int leaves, const int *layout, int unary) {
  const ChainArg bad = {-1, 0};
  if (a.kind == CHAIN_LEAF) {
    if (a.index < 0 || a.index >= leaves) return bad;
    const ChainArg leaf = {layout[a.index], a.index};
    return unary && leaf.kind != CHAIN_LEAF ? bad : leaf;
  }
  if (a.kind == CHAIN_CONSTANT)
    return !unary && a.index >= 0 && a.index < CHAIN_MAX_CONSTANTS ? a : bad;
  return a.kind == CHAIN_STEP && a.index >= 0 && a.index < s ? a : bad;
}

// Whether a binary step's result varies along the row: some argument advances.
static int advances(ChainArg a) { return a.kind == CHAIN_LEAF || a.kind == CHAIN_ROW || a.kind == CHAIN_STEP; }

// The steps of params into c; 0 when one is malformed.
static int read_steps(Chain *c, const double *p, int leaves, const int *layout) {
  for (int s = 0; s < c->steps; s++) {
    const double *f = p + HEADER + LEAF_FIELDS + s * STEP_FIELDS;
    ChainStep *st = &c->step[s];
    st->unary = (int)f[0];
    st->op = (int)f[1];
    st->x = resolve((ChainArg){(int)f[2], (int)f[3]}, s, leaves, layout, st->unary);
    st->y = st->unary ? st->x : resolve((ChainArg){(int)f[4], (int)f[5]}, s, leaves, layout, 0);
    if (st->x.kind < 0 || st->y.kind < 0 || st->op < 0 ||
        st->op >= (st->unary ? EW_UNARY_OPS : EW_BINARY_OPS) ||
        (!st->unary && !advances(st->x) && !advances(st->y)))
      return 0;
  }
  return 1;
}

static napi_value chain(napi_env env, napi_callback_info info) {
  size_t argc = CHAIN_MAX_LEAVES + 2;
  napi_value argv[CHAIN_MAX_LEAVES + 2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 3 ||
      argc > CHAIN_MAX_LEAVES + 2)
    return native_throw(env, "chain(leaves..., out, params)");
  const int leaves = (int)argc - 2;
  napi_typedarray_type types[CHAIN_MAX_LEAVES + 2];
  void *data[CHAIN_MAX_LEAVES + 2];
  size_t len[CHAIN_MAX_LEAVES + 2];
  for (int i = 0; i <= leaves; i++) types[i] = napi_float32_array;
  types[leaves + 1] = napi_float64_array;
  if (!typed_args(env, info, leaves + 2, types, data, len) || len[leaves + 1] < PARAMS)
    return native_throw(env, "chain(leaves..., out, params)");
  const double *p = data[leaves + 1];
  ChainJob j = {.n = (long)p[2]};
  j.chain.steps = (int)p[0];
  j.chain.inner = (long)p[5];
  int layout[CHAIN_MAX_LEAVES];
  for (int i = 0; i < leaves; i++) layout[i] = (int)p[HEADER + CHAIN_MAX_LEAVES + i];
  if (j.chain.steps < 1 || j.chain.steps > CHAIN_MAX_STEPS || (int)p[1] != leaves || j.n < 1 ||
      j.chain.inner < 1 || j.n % j.chain.inner != 0 || !fits(p[4], j.n - 1.0, len[leaves]) ||
      !read_steps(&j.chain, p, leaves, layout))
    return native_throw(env, "chain: bad steps or output out of its array's bounds");
  for (int i = 0; i < leaves; i++) {
    // The last element each layout reads: n - 1, the last column, or the last row.
    const double last = layout[i] == CHAIN_LEAF ? j.n - 1.0
                        : layout[i] == CHAIN_ROW ? j.chain.inner - 1.0
                        : layout[i] == CHAIN_COLUMN ? j.n / j.chain.inner - 1.0
                        : -1;
    if (last < 0 || !fits(p[HEADER + i], last, len[i]))
      return native_throw(env, "chain: a leaf's layout is unknown or out of its array's bounds");
    j.chain.leaf[i] = (const float *)data[i] + (long)p[HEADER + i];
  }
  const double *constants = p + HEADER + LEAF_FIELDS + STEP_FIELDS * CHAIN_MAX_STEPS;
  for (int i = 0; i < CHAIN_MAX_CONSTANTS; i++) j.chain.constant[i] = (float)constants[i];
  j.out = (float *)data[leaves] + (long)p[4];
  const int threads = p[3] < 1 ? 1 : (int)p[3];
  const long per = j.per_chunk = pool_chunk_size(j.n, threads, CHAIN_MIN_CHUNK, 64);
  j.stream = j.n * (long)sizeof(float) >= EW_STREAM_BYTES;
  return native_number(env, pool_run(chain_chunk, &j, (int)((j.n + per - 1) / per), threads));
}

int register_chain(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"chain", NULL, chain, NULL, NULL, NULL, napi_default, NULL},
  };
  return napi_define_properties(env, exports, 1, props) == napi_ok;
}
