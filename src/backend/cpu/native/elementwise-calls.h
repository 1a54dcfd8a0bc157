// The Node-API calls of the elementwise kernels (elementwise-calls.c).
#pragma once
#include <node_api.h>

// Adds binary, unary, where and compare to the addon's exports; 0 on failure.
int register_elementwise(napi_env env, napi_value exports);
