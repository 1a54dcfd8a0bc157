// chain(leaves..., out, params): one deferred elementwise chain (../kernels/chain.h) over n
// output elements, split into chunks across pool.c's threads. Arguments: 1 to
// CHAIN_MAX_LEAVES Float32Arrays (the leaves), the output Float32Array, and a Float64Array:
//   [steps, leaves, n, threads, out offset, leaf offsets (CHAIN_MAX_LEAVES),
//    per step: unary, op, x kind, x index, y kind, y index (CHAIN_MAX_STEPS of them),
//    constants (CHAIN_MAX_CONSTANTS)]
// Every op code, argument and span is checked before anything runs: a wrong argument throws,
// never crashes.
#include "chain-calls.h"
#include "napi-args.h"
#include "pool.h"
#include "../kernels/vec.h"
#include "../kernels/elementwise.h"
#include "../kernels/chain.h"

#define HEADER 5
#define STEP_FIELDS 6
#define PARAMS (HEADER + CHAIN_MAX_LEAVES + STEP_FIELDS * CHAIN_MAX_STEPS + CHAIN_MAX_CONSTANTS)
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

// Whether argument a of step s reads something that exists: a leaf, a constant, or an
// earlier step (a unary step's x is never a constant: its result would be one value).
static int arg_valid(ChainArg a, int s, int leaves, int may_be_constant) {
  if (a.kind == CHAIN_LEAF) return a.index >= 0 && a.index < leaves;
  if (a.kind == CHAIN_CONSTANT) return may_be_constant && a.index >= 0 && a.index < CHAIN_MAX_CONSTANTS;
  return a.kind == CHAIN_STEP && a.index >= 0 && a.index < s;
}

// The steps of params into c; 0 when one is malformed.
static int read_steps(Chain *c, const double *p, int leaves) {
  for (int s = 0; s < c->steps; s++) {
    const double *f = p + HEADER + CHAIN_MAX_LEAVES + s * STEP_FIELDS;
    ChainStep *st = &c->step[s];
    *st = (ChainStep){(int)f[0], (int)f[1], {(int)f[2], (int)f[3]}, {(int)f[4], (int)f[5]}};
    if (st->unary) {
      if (st->op < 0 || st->op >= EW_UNARY_OPS || !arg_valid(st->x, s, leaves, 0)) return 0;
    } else if (st->op < 0 || st->op >= EW_BINARY_OPS || !arg_valid(st->x, s, leaves, 1) ||
               !arg_valid(st->y, s, leaves, 1) ||
               (st->x.kind == CHAIN_CONSTANT && st->y.kind == CHAIN_CONSTANT))
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
  if (j.chain.steps < 1 || j.chain.steps > CHAIN_MAX_STEPS || (int)p[1] != leaves || j.n < 1 ||
      !fits(p[4], j.n - 1.0, len[leaves]) || !read_steps(&j.chain, p, leaves))
    return native_throw(env, "chain: bad steps or output out of its array's bounds");
  for (int i = 0; i < leaves; i++) {
    if (!fits(p[HEADER + i], j.n - 1.0, len[i]))
      return native_throw(env, "chain: a leaf is out of its array's bounds");
    j.chain.leaf[i] = (const float *)data[i] + (long)p[HEADER + i];
  }
  const double *constants = p + HEADER + CHAIN_MAX_LEAVES + STEP_FIELDS * CHAIN_MAX_STEPS;
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
