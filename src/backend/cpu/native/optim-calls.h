// The optimizer updates' Node-API exports (optim-calls.c): Adam and SGD over a list of
// parameters in one call.
#pragma once
#include <node_api.h>

// Adds adamSteps and sgdSteps to the addon's exports; 0 on failure.
int register_optim(napi_env env, napi_value exports);
