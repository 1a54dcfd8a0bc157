// Recurrent cells (one time step): the shared base, RNNCell, LSTMCell, GRUCell.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { zeros } from "../../tensor/create.js";
import { empty, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import {
  rnnReluCell,
  rnnTanhCell,
  type RnnNonlinearity,
  lstmCell,
  gruCell,
} from "../functional/rnn.js";

// RNNCellBase: the single-step cells' shared parameters, named as PyTorch's (weight_ih,
// weight_hh, bias_ih, bias_hh) so state dicts interchange, with U(−1/√H, 1/√H) init.
/** Options of the recurrent cells (PyTorch's names and defaults). */
export interface RNNCellOptions {
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/**
 * The base of the recurrent cells: one time step's weights and biases (PyTorch's `RNNCellBase`).
 */
export abstract class RNNCellBase extends Module {
  /** Input-hidden weights `[gates·hiddenSize, inputSize]`, U(−1/√H, 1/√H). */
  weight_ih: Parameter;
  /** Hidden-hidden weights `[gates·hiddenSize, hiddenSize]`, U(−1/√H, 1/√H). */
  weight_hh: Parameter;
  /** Input-hidden bias `[gates·hiddenSize]`, or null. */
  bias_ih: Parameter | null;
  /** Hidden-hidden bias `[gates·hiddenSize]`, or null. */
  bias_hh: Parameter | null;

  constructor(
    /** Features of the input x. */
    readonly inputSize: number,
    /** Features of the hidden state h. */
    readonly hiddenSize: number,
    gates: number,
    opts: RNNCellOptions = {},
  ) {
    super();
    if (
      !Number.isInteger(inputSize) ||
      inputSize < 0 ||
      !Number.isInteger(hiddenSize) ||
      hiddenSize < 1
    )
      fail(
        this.constructor.name,
        `sizes must be positive integers, got ${inputSize}, ${hiddenSize}`,
      );
    const rows = gates * hiddenSize;
    this.weight_ih = new Parameter(empty([rows, inputSize], opts.device));
    this.weight_hh = new Parameter(empty([rows, hiddenSize], opts.device));
    this.bias_ih = opts.bias === false ? null : new Parameter(empty([rows], opts.device));
    this.bias_hh = opts.bias === false ? null : new Parameter(empty([rows], opts.device));
    this.resetParameters();
  }

  /** Re-draws every weight and bias from U(−1/√H, 1/√H), as PyTorch. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /** The given state, or zeros shaped like the input's batch ([B, H] or [H]). */
  protected stateOr(x: Tensor, given: Tensor | undefined): Tensor {
    const shape = x.ndim === 2 ? [x.shape[0], this.hiddenSize] : [this.hiddenSize];
    if (x.ndim !== 1 && x.ndim !== 2)
      fail(
        this.constructor.name,
        `expected input [batch, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(x.shape)}`,
      );
    return given ?? zeros(shape, { device: x.device });
  }

  override attrs(): Attr[] {
    return [
      attr.int("input_size", this.inputSize, { positional: true }),
      attr.int("hidden_size", this.hiddenSize, { positional: true }),
      attr.bool("bias", this.bias_ih !== null, { quiet: this.bias_ih !== null }),
    ];
  }
}

// RNNCell: one Elman step h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu.
/** Options of {@link RNNCell}. */
export interface RNNCellLayerOptions extends RNNCellOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: RnnNonlinearity;
}

/** One Elman RNN step, as `nn.RNNCell`: h' = tanh(W_ih x + b_ih + W_hh h + b_hh). */
export class RNNCell extends RNNCellBase {
  /** The nonlinearity applied to the new hidden state. */
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

  override attrs(): Attr[] {
    const quiet = this.nonlinearity === "tanh";
    return [...super.attrs(), attr.text("nonlinearity", this.nonlinearity, { quiet })];
  }
}

/**
 * LSTMCell: one LSTM step with PyTorch's gate order (i, f, g, o) and parameter names.
 */
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

/**
 * GRUCell: one GRU step with PyTorch's gate order (r, z, n) and parameter names.
 */
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
