// The argument readers and error reporting of napi-args.h.
#include "napi-args.h"

napi_value native_throw(napi_env env, const char *msg) {
  napi_throw_error(env, "DENDRITE_NATIVE", msg);
  return NULL;
}

napi_value native_number(napi_env env, double x) {
  napi_value r;
  napi_create_double(env, x, &r);
  return r;
}

int typed_array(napi_env env, napi_value v, napi_typedarray_type want, void **data, size_t *len) {
  bool is;
  napi_typedarray_type type;
  return napi_is_typedarray(env, v, &is) == napi_ok && is &&
         napi_get_typedarray_info(env, v, &type, len, data, NULL, NULL) == napi_ok && type == want;
}

int typed_args(napi_env env, napi_callback_info info, int n, const napi_typedarray_type *types,
               void **data, size_t *len) {
  napi_value argv[NATIVE_MAX_ARGS + 1];
  size_t argc = NATIVE_MAX_ARGS + 1;
  if (n > NATIVE_MAX_ARGS || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok ||
      (int)argc != n)
    return 0;
  for (int i = 0; i < n; i++)
    if (!typed_array(env, argv[i], types[i], &data[i], &len[i])) return 0;
  return 1;
}

int float_args(napi_env env, napi_callback_info info, int n, float **arr, size_t *len, double **p,
               size_t np) {
  napi_typedarray_type types[NATIVE_MAX_ARRAYS + 1];
  void *data[NATIVE_MAX_ARRAYS + 1];
  size_t lens[NATIVE_MAX_ARRAYS + 1];
  if (n > NATIVE_MAX_ARRAYS) return 0;
  for (int i = 0; i < n; i++) types[i] = napi_float32_array;
  types[n] = napi_float64_array;
  if (!typed_args(env, info, n + 1, types, data, lens) || lens[n] < np) return 0;
  for (int i = 0; i < n; i++) arr[i] = data[i], len[i] = lens[i];
  *p = data[n];
  return 1;
}
