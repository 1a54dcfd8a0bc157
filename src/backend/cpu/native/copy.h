// A strided view copied into a contiguous array, for the native addon (copy.c).
#pragma once
#include <node_api.h>

// Adds stridedCopy to the addon's exports; 0 on failure.
int register_copy(napi_env env, napi_value exports);
