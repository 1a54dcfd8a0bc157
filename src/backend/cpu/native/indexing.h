// gather / scatterAdd rows for the native addon (indexing.c).
#pragma once
#include <node_api.h>

// Adds gatherRows to the addon's exports; 0 on failure.
int register_indexing(napi_env env, napi_value exports);
