// Reading a native call's arguments and reporting errors, shared by the addon's files
// (addon.c, conv.c, indexing.c, lstm.c, gru.c): every export takes typed arrays and a
// Float64Array of parameters, checks each span it will touch, and throws a JavaScript error
// (never crashes) when one does not fit.
#pragma once
#include <node_api.h>

// Throws a JavaScript error (code DENDRITE_NATIVE) with this message; returns NULL for the
// export to return.
napi_value native_throw(napi_env env, const char *msg);
// A number for JavaScript (the exports return the chunks their worker threads ran).
napi_value native_number(napi_env env, double x);
// Whether v is a typed array of type `want`; its data and length when it is.
int typed_array(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len);
// Reads exactly n typed arrays, argument i of type types[i] (n <= NATIVE_MAX_ARGS): their data
// and lengths. 0 when the count or a type differs.
#define NATIVE_MAX_ARGS 8
int typed_args(napi_env env, napi_callback_info info, int n, const napi_typedarray_type *types,
               void **data, size_t *len);
// Reads (arrays..., params): exactly n Float32Arrays (n <= NATIVE_MAX_ARRAYS) then one
// Float64Array of at least np values.
#define NATIVE_MAX_ARRAYS 6
int float_args(napi_env env, napi_callback_info info, int n, float **arr, size_t *len, double **p,
               size_t np);
// Whether [off, off + span] lies in an array of len elements.
static inline int fits(double off, double span, size_t len) {
  return off >= 0 && off + span < (double)len;
}
