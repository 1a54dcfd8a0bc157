// dl.nn.functional (conventionally F): functional forms of layers, activations and losses.
export { linear } from "./linear.js";
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
} from "../../functional/index.js";
export * from "../losses/functional/index.js";
