// The workloads of `npm run bench`: issue 12's table (per-op overhead, a tiny step, GEMM, the
// MLP, LeNet-5 and LSTM training steps, a convolution, an elementwise chain) and the models the
// tutorials train (02's MLP, 03's CNN, 04's LSTM forecaster). Each entry says how to turn the
// median milliseconds of one call into the figure printed, and which way is better.
// PyTorch's twins are in torch_workloads.py and TF.js-WASM's in tfjs_workloads.mjs, with the
// same names and definitions.

const GEMM_N = 1024;
const CONV_FLOPS = 2 * 32 * 64 * 32 * 32 * 64 * 9; // batch 32, 64→64 channels, 32×32, 3×3
const EW_N = 4 * 1024 * 1024;
/** relu(a*b+c): three arrays read and one written, the least traffic any implementation needs. */
const EW_BYTES = 4 * EW_N * 4;
const LOOP_ADDS = 20000;
const LOOP_TINY = 500;

/**
 * name → { title, unit, higherIsBetter, target (ratio to PyTorch to reach), perThread (the
 * target applies at each thread count, not just the best), value(ms): the printed figure }.
 */
export const WORKLOADS = {
  add1: {
    title: "1-element a.add(b)",
    unit: "ns/op",
    higherIsBetter: false,
    target: 1.0,
    value: (ms) => (ms / LOOP_ADDS) * 1e6,
  },
  tiny: {
    title: "tiny step: x·w relu sum backward, w 8×8",
    unit: "µs/step",
    higherIsBetter: false,
    target: 1.0,
    value: (ms) => (ms / LOOP_TINY) * 1e3,
  },
  gemm1024: {
    title: "GEMM 1024",
    unit: "GFLOP/s",
    higherIsBetter: true,
    target: 0.9,
    perThread: true,
    value: (ms) => (2 * GEMM_N ** 3) / ms / 1e6,
  },
  mlp128: {
    title: "MLP 784-256-128-10 b128 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  lenet5: {
    title: "LeNet-5 (no BN) b64 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  lstm: {
    title: "Embedding 64→32 + LSTM 128 + linear, B32 T32, Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  convF: {
    title: "conv2d 3×3 64→64, 32×32, b32, forward",
    unit: "GFLOP/s",
    higherIsBetter: true,
    target: 0.8,
    value: (ms) => CONV_FLOPS / ms / 1e6,
  },
  convFB: {
    title: "conv2d 3×3 64→64, 32×32, b32, forward+backward",
    unit: "GFLOP/s",
    higherIsBetter: true,
    target: 0.8,
    value: (ms) => (3 * CONV_FLOPS) / ms / 1e6,
  },
  ew: {
    title: "relu(a*b+c) over 4M floats, y[0] read back",
    unit: "GB/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => EW_BYTES / ms / 1e6,
  },
  tut02: {
    title: "tutorial 02's MLP 784-128-10 b64 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  tut03: {
    title: "tutorial 03's CNN (BN, dropout) b64 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  tut04: {
    title: "tutorial 04's LSTM 8→32 over 21 days b128 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
  tut04gru: {
    title: "tutorial 04's GRU 8→32 over 21 days b128 Adam step",
    unit: "steps/s",
    higherIsBetter: true,
    target: 1.0,
    value: (ms) => 1000 / ms,
  },
};

export const SIZES = { GEMM_N, EW_N, LOOP_ADDS, LOOP_TINY };
