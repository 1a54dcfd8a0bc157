// The LSTM cell's row loops for the native addon (lstm.c), and their Node-API exports.
#pragma once
#include <node_api.h>

void lstm_rows_forward(const float *gi, const float *gh, const float *c, float *h_out,
                       float *c_out, int rows, int H);
void lstm_rows_backward(const float *gi, const float *gh, const float *c, const float *dh,
                        const float *dc, float *d_gates, float *dc_prev, int rows, int H);
// Adds lstmRows and lstmRowsGrad to the addon's exports; 0 on failure.
int register_lstm(napi_env env, napi_value exports);
