// RNNCell: one Elman step h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { rnnReluCell, rnnTanhCell, type RnnNonlinearity } from "../functional/rnn.js";
import { RNNCellBase, type RNNCellOptions } from "./rnn-cell-base.js";

export interface RNNCellLayerOptions extends RNNCellOptions {
  nonlinearity?: RnnNonlinearity;
}

export class RNNCell extends RNNCellBase {
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: RNNCellLayerOptions = {}) {
    super(inputSize, hiddenSize, 1, opts);
    const nonlinearity = opts.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      fail("RNNCell", `nonlinearity must be "tanh" or "relu", got ${JSON.stringify(nonlinearity)}`);
    this.nonlinearity = nonlinearity;
  }

  /** x [B, inputSize] or [inputSize]; h defaults to zeros. Returns h'. */
  forward(x: Tensor, h?: Tensor): Tensor {
    const cell = this.nonlinearity === "relu" ? rnnReluCell : rnnTanhCell;
    return cell(x, this.stateOr(x, h), this.weight_ih, this.weight_hh, this.bias_ih, this.bias_hh);
  }

  override extraRepr(): string {
    const base = super.extraRepr();
    return this.nonlinearity === "tanh" ? base : `${base}, nonlinearity=${this.nonlinearity}`;
  }
}
