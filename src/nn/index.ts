// dl.nn: modules, layers, losses, initialisers and utilities.
export { Module, type ForwardHook, type LoadResult } from "./module.js";
export { Parameter, Buffer } from "./parameter.js";
export { Sequential, ModuleList, ModuleDict } from "./containers.js";
export { Linear, type LinearOptions } from "./layers/linear.js";
export { Bilinear, type BilinearOptions } from "./layers/bilinear.js";
export { Conv1d } from "./layers/conv1d.js";
export { Conv2d } from "./layers/conv2d.js";
export { ConvTranspose2d, type ConvTransposeLayerOptions } from "./layers/conv-transpose2d.js";
export { ConvNd, type ConvLayerOptions, type ConvPadding } from "./layers/conv-base.js";
export { MaxPool1d, type MaxPool1dLayerOptions } from "./layers/max-pool1d.js";
export { MaxPool2d, type MaxPool2dOptions } from "./layers/max-pool2d.js";
export { AvgPool2d } from "./layers/avg-pool2d.js";
export { AdaptiveAvgPool2d } from "./layers/adaptive-avg-pool2d.js";
export { BatchNormBase, type BatchNormOptions } from "./layers/batch-norm-base.js";
export { BatchNorm1d } from "./layers/batch-norm1d.js";
export { BatchNorm2d } from "./layers/batch-norm2d.js";
export { LayerNorm, type LayerNormOptions } from "./layers/layer-norm.js";
export { GroupNorm, type GroupNormOptions } from "./layers/group-norm.js";
export { Dropout } from "./layers/dropout.js";
export { Embedding, type EmbeddingOptions } from "./layers/embedding.js";
export { Flatten } from "./layers/flatten.js";
export { Unflatten } from "./layers/unflatten.js";
export { Identity } from "./layers/identity.js";
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
export { RNN, type ElmanRNNOptions } from "./layers/rnn.js";
export { LSTM, type LSTMOptions } from "./layers/lstm.js";
export { GRU, type GRUOptions } from "./layers/gru.js";
export { RNNBase, type RNNOptions } from "./layers/rnn-base.js";
export { RNNCell, type RNNCellLayerOptions } from "./layers/rnn-cell.js";
export { LSTMCell } from "./layers/lstm-cell.js";
export { GRUCell } from "./layers/gru-cell.js";
export { RNNCellBase, type RNNCellOptions } from "./layers/rnn-cell-base.js";
export {
  MultiheadAttention,
  type MultiheadAttentionOptions,
  type MultiheadAttentionForwardOptions,
} from "./layers/multihead-attention.js";
export {
  TransformerEncoderLayer,
  type TransformerLayerOptions,
  type TransformerEncoderLayerForwardOptions,
} from "./layers/transformer-encoder-layer.js";
export {
  TransformerDecoderLayer,
  type TransformerDecoderLayerForwardOptions,
} from "./layers/transformer-decoder-layer.js";
export type { TransformerActivation } from "./layers/transformer-activation.js";
export { GCNConv, type GCNConvOptions } from "./layers/gcn-conv.js";
export * from "./losses/index.js";
export * as functional from "./functional/index.js";
export * as init from "./init.js";
export * as utils from "./utils/index.js";

// Built-in layers release what a forward makes and does not return (see scratch.ts).
import * as exported from "./index.js";
import { releaseIntermediatesOf } from "./scratch.js";
releaseIntermediatesOf(exported);
