// GRU with PyTorch's gate order (r, z, n), its n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
// and its parameter names, so weights interchange.
import type { Tensor } from "../../tensor/tensor.js";
import { RNNBase, type RNNOptions } from "./rnn-base.js";

export type GRUOptions = RNNOptions;

export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
  }

  /** x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]) or [seq, inputSize]; returns [output, hN]. */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const r = this.runRecurrence(x, h0 ? [h0] : undefined, ["h0"]);
    return [r.output, r.state[0]];
  }
}
