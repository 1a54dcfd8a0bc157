// conv2d's forward pass for the native addon (conv.c), and its Node-API export.
#pragma once
#include <node_api.h>

// Adds conv2d to the addon's exports; 0 on failure.
int register_conv(napi_env env, napi_value exports);
