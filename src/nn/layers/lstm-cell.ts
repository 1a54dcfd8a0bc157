// LSTMCell: one LSTM step with PyTorch's gate order (i, f, g, o) and parameter names.
import type { Tensor } from "../../tensor/tensor.js";
import { lstmCell } from "../functional/rnn.js";
import { RNNCellBase, type RNNCellOptions } from "./rnn-cell-base.js";

export class LSTMCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 4, opts);
  }

  /** x [B, inputSize] or [inputSize]; hx = [h, c] defaults to zeros. Returns [h', c']. */
  forward(x: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, Tensor] {
    const state: [Tensor, Tensor] = [this.stateOr(x, hx?.[0]), this.stateOr(x, hx?.[1])];
    return lstmCell(x, state, this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
  }
}
