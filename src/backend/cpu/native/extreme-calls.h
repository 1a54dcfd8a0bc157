// The Node-API call of the max/min/argmax/argmin reductions (extreme-calls.c).
#pragma once
#include <node_api.h>

// Adds extreme to the addon's exports; 0 on failure.
int register_extreme(napi_env env, napi_value exports);
