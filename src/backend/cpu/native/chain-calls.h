// The Node-API call of the deferred elementwise chains (chain-calls.c).
#pragma once
#include <node_api.h>

// Adds chain to the addon's exports; 0 on failure.
int register_chain(napi_env env, napi_value exports);
