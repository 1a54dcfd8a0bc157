// LSTM with PyTorch's gate order (i, f, g, o) and parameter names, so weights interchange:
// weight_ih_lK is [4H, in] holding W_ii | W_if | W_ig | W_io stacked by rows.
import type { Tensor } from "../../tensor/tensor.js";
import { RNNBase, type RNNOptions } from "./rnn-base.js";

export type LSTMOptions = RNNOptions;

export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }

  /**
   * x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]) or [seq, inputSize]; `hx` is
   * [h0, c0], each [numLayers·directions, batch, hiddenSize]. Returns [output, [hN, cN]].
   */
  forward(x: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const r = this.runRecurrence(x, hx, ["h0", "c0"]);
    return [r.output, [r.state[0], r.state[1]]];
  }
}
