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

int float_args(napi_env env, napi_callback_info info, int n, float **arr, size_t *len, double **p,
               size_t np) {
  napi_value argv[NATIVE_MAX_ARRAYS + 1];
  size_t argc = NATIVE_MAX_ARRAYS + 1, plen;
  if (n > NATIVE_MAX_ARRAYS || napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok ||
      (int)argc != n + 1)
    return 0;
  for (int i = 0; i < n; i++)
    if (!typed_array(env, argv[i], napi_float32_array, (void **)&arr[i], &len[i])) return 0;
  return typed_array(env, argv[n], napi_float64_array, (void **)p, &plen) && plen >= np;
}
