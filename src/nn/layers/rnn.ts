// RNN: the Elman recurrence h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu,
// with PyTorch's parameter names and conventions (see rnn-base.ts).
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import type { RnnNonlinearity } from "../functional/rnn.js";
import { RNNBase, type RNNOptions } from "./rnn-base.js";

export interface ElmanRNNOptions extends RNNOptions {
  nonlinearity?: RnnNonlinearity;
}

export class RNN extends RNNBase {
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: ElmanRNNOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      fail("RNN", `nonlinearity must be "tanh" or "relu", got ${JSON.stringify(nonlinearity)}`);
    super(nonlinearity === "relu" ? "RNN_RELU" : "RNN_TANH", inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /** x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]) or [seq, inputSize]; returns [output, hN]. */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    const r = this.runRecurrence(x, h0 ? [h0] : undefined, ["h0"]);
    return [r.output, r.state[0]];
  }
}
