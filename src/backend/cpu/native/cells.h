// The recurrent cells' row loops for the native addon (lstm.c, gru.c), their Node-API exports,
// and the operand parsing they share.
#pragma once
#include <node_api.h>

void lstm_rows_forward(const float *gi, const float *gh, const float *c, float *h_out,
                       float *c_out, int rows, int H);
void lstm_rows_backward(const float *gi, const float *gh, const float *c, const float *dh,
                        const float *dc, float *d_gates, float *dc_prev, int rows, int H);
void gru_rows_forward(const float *gi, const float *gh, const float *h, float *h_out, int rows,
                      int H);
void gru_rows_backward(const float *gi, const float *gh, const float *h, const float *dh,
                       float *d_gi, float *d_gh, float *dh_prev, int rows, int H);

// n Float32Arrays then a Float64Array of 2 + n values: rows, H, then each array's element
// offset (arrays may repeat). Each array i must hold span[i]·rows·H elements from its
// offset, so a wrong argument is a JavaScript error, never a crash. 1 on success.
int cell_args(napi_env env, napi_callback_info info, int n, const int *span, float **arr,
              int *rows, int *H);

// Add lstmRows/lstmRowsGrad and gruRows/gruRowsGrad to the addon's exports; 0 on failure.
int register_lstm(napi_env env, napi_value exports);
int register_gru(napi_env env, napi_value exports);
