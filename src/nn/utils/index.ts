// dl.nn.utils: helpers around training (gradient clipping).
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from "./clip-grad.js";
export * as rnn from "./rnn.js";
