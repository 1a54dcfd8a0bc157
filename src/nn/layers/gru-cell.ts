// GRUCell: one GRU step with PyTorch's gate order (r, z, n) and parameter names.
import type { Tensor } from "../../tensor/tensor.js";
import { gruCell } from "../functional/rnn.js";
import { RNNCellBase, type RNNCellOptions } from "./rnn-cell-base.js";

export class GRUCell extends RNNCellBase {
  constructor(inputSize: number, hiddenSize: number, opts: RNNCellOptions = {}) {
    super(inputSize, hiddenSize, 3, opts);
  }

  /** x [B, inputSize] or [inputSize]; h defaults to zeros. Returns h'. */
  forward(x: Tensor, h?: Tensor): Tensor {
    return gruCell(
      x,
      this.stateOr(x, h),
      this.weight_ih,
      this.weight_hh,
      this.bias_ih,
      this.bias_hh,
    );
  }
}
