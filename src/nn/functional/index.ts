// dl.nn.functional (conventionally F): functional forms of layers, activations and losses.
export { linear } from "./linear.js";
export { bilinear } from "./bilinear.js";
export { conv1d, conv2d, type ConvOptions, type Conv1dOptions } from "./conv.js";
export { convTranspose2d, type ConvTransposeOptions } from "./conv-transpose.js";
export {
  maxPool1d,
  maxPool2d,
  avgPool2d,
  type MaxPoolOptions,
  type MaxPool1dOptions,
  type AvgPoolOptions,
} from "./pooling.js";
export { adaptiveAvgPool2d, type AdaptiveSize } from "./adaptive-pooling.js";
export {
  batchNorm,
  layerNorm,
  groupNorm,
  type BatchNormOptions,
  type NormOptions,
} from "./normalization.js";
export { dropout, type DropoutOptions } from "./dropout.js";
export {
  normalize,
  cosineSimilarity,
  pairwiseDistance,
  type NormalizeOptions,
} from "./distance.js";
export { embedding, type EmbeddingOptions } from "./embedding.js";
export { embeddingBag, type EmbeddingBagOptions, type EmbeddingBagMode } from "./embedding-bag.js";
export { rnnTanhCell, rnnReluCell, lstmCell, gruCell, type RnnNonlinearity } from "./rnn.js";
export { scaledDotProductAttention, type ScaledDotProductAttentionOptions } from "./attention.js";
export {
  multiHeadAttentionForward,
  type MultiHeadAttentionWeights,
  type AttentionForwardOptions,
} from "./multi-head-attention.js";
export {
  gcnConv,
  gcnNorm,
  type GcnConvOptions,
  type GcnNormOptions,
  type WeightedEdges,
} from "./graph.js";
export {
  relu,
  sigmoid,
  tanh,
  softmax,
  logSoftmax,
  gelu,
  silu,
  elu,
  leakyRelu,
  softplus,
  pad,
  oneHot,
} from "../../functional/index.js";
export * from "../losses/functional/index.js";
