// dl.nn: modules, layers, losses, initialisers and utilities.
export { Module, type ForwardHook, type LoadResult } from "./module.js";
export { Parameter, Buffer } from "./parameter.js";
export { Sequential, ModuleList, ModuleDict } from "./containers.js";
export {
  Linear,
  type LinearOptions,
  Bilinear,
  type BilinearOptions,
  Identity,
} from "./layers/linear.js";
export {
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  type ConvTransposeLayerOptions,
  ConvNd,
  type ConvLayerOptions,
  type ConvPadding,
} from "./layers/conv.js";
export {
  MaxPool1d,
  type MaxPool1dLayerOptions,
  MaxPool2d,
  type MaxPool2dLayerOptions,
  AvgPool2d,
  AdaptiveAvgPool2d,
} from "./layers/pooling.js";
export {
  BatchNormBase,
  type BatchNormLayerOptions,
  BatchNorm1d,
  BatchNorm2d,
} from "./layers/batch-norm.js";
export {
  LayerNorm,
  type LayerNormOptions,
  GroupNorm,
  type GroupNormOptions,
} from "./layers/normalization.js";
export { Dropout } from "./layers/dropout.js";
export {
  Embedding,
  type EmbeddingLayerOptions,
  EmbeddingBag,
  type EmbeddingBagLayerOptions,
  type EmbeddingBagForwardOptions,
} from "./layers/embedding.js";
export { Flatten, Unflatten } from "./layers/flatten.js";
export { CosineSimilarity, PairwiseDistance } from "./layers/distance.js";
export {
  ReLU,
  LeakyReLU,
  ELU,
  GELU,
  SiLU,
  Tanh,
  Sigmoid,
  Softmax,
  LogSoftmax,
  Softplus,
} from "./layers/activations.js";
export {
  RNN,
  type ElmanRNNOptions,
  LSTM,
  type LSTMOptions,
  GRU,
  type GRUOptions,
} from "./layers/recurrent.js";
export { RNNBase, type RNNOptions } from "./layers/recurrent-base.js";
export {
  RNNCell,
  type RNNCellLayerOptions,
  LSTMCell,
  GRUCell,
  RNNCellBase,
  type RNNCellOptions,
} from "./layers/recurrent-cells.js";
export {
  MultiheadAttention,
  type MultiheadAttentionLayerOptions,
  type MultiheadAttentionForwardOptions,
} from "./layers/multihead-attention.js";
export {
  TransformerEncoderLayer,
  type TransformerLayerOptions,
  type TransformerEncoderLayerForwardOptions,
  TransformerDecoderLayer,
  type TransformerDecoderLayerForwardOptions,
} from "./layers/transformer.js";
export type { TransformerActivation } from "./layers/transformer.js";
export {
  TransformerEncoder,
  type TransformerEncoderOptions,
  type TransformerEncoderForwardOptions,
  TransformerDecoder,
  type TransformerDecoderOptions,
  type LayerSource,
} from "./layers/transformer-stacks.js";
export {
  Transformer,
  type TransformerOptions,
  type TransformerForwardOptions,
} from "./layers/transformer-model.js";
export { GCNConv, type GCNConvLayerOptions } from "./layers/gcn-conv.js";
export * from "./losses/index.js";
export * as functional from "./functional/index.js";
export * as init from "./init.js";
export * as utils from "./utils/index.js";

// Built-in layers release what a forward makes and does not return (see scratch.ts).
import * as exported from "./index.js";
import { releaseIntermediatesOf } from "./scratch.js";
releaseIntermediatesOf(exported);
