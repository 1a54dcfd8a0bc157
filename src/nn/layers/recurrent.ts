// Recurrent layers over whole sequences: RNN, LSTM, GRU (their shared base: recurrent-base.ts).
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import type { RnnNonlinearity } from "../functional/rnn.js";
import type { PackedSequence } from "../utils/rnn.js";
import { RNNBase, type RNNOptions } from "./recurrent-base.js";

// RNNBase: what RNN, LSTM and GRU share — PyTorch's parameter names (`weight_ih_l0`,
// `bias_hh_l1_reverse`, ...) in PyTorch's order, so state dicts interchange, its
// U(−1/√H, 1/√H) initialisation, and input handling (time-major or batchFirst, batched or
// unbatched, optional initial state).
/** Options of {@link RNN}. */
export interface ElmanRNNOptions extends RNNOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: RnnNonlinearity;
}

/**
 * Multi-layer Elman RNN, as `nn.RNN`: `forward(x, h0?)` returns `[output, hN]`; x is `[L, N,
 * inputSize]` (or `[N, L, inputSize]` with batchFirst) or a PackedSequence.
 */
export class RNN extends RNNBase {
  /** The nonlinearity of each step. */
  readonly nonlinearity: RnnNonlinearity;

  constructor(inputSize: number, hiddenSize: number, opts: ElmanRNNOptions = {}) {
    const nonlinearity = opts.nonlinearity ?? "tanh";
    if (nonlinearity !== "tanh" && nonlinearity !== "relu")
      fail("RNN", `nonlinearity must be "tanh" or "relu", got ${JSON.stringify(nonlinearity)}`);
    super(nonlinearity === "relu" ? "RNN_RELU" : "RNN_TANH", inputSize, hiddenSize, opts);
    this.nonlinearity = nonlinearity;
  }

  /**
   * x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]), [seq, inputSize] or a
   * PackedSequence (then the output is one too); returns [output, hN].
   */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor];
  forward(x: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
  forward(x: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor] {
    const r = this.runEither(x, h0 ? [h0] : undefined, ["h0"]);
    return [r.output, r.state[0]];
  }
}

// LSTM with PyTorch's gate order (i, f, g, o) and parameter names, so weights interchange:
// weight_ih_lK is [4H, in] holding W_ii | W_if | W_ig | W_io stacked by rows.
/** Options of {@link LSTM}. */
export type LSTMOptions = RNNOptions;

/**
 * Multi-layer LSTM, as `nn.LSTM`: `forward(x, [h0, c0]?)` returns `[output, [hN, cN]]`; x is `[L,
 * N, inputSize]` (or `[N, L, inputSize]` with batchFirst) or a PackedSequence. Weights are laid out
 * as PyTorch's, so state dicts interchange.
 *
 * @example
 * ```ts
 * const lstm = new dl.nn.LSTM(10, 20, { numLayers: 2, batchFirst: true });
 * const [out, [h, c]] = lstm.forward(dl.randn([3, 5, 10]));
 * out.shape; // [3, 5, 20]
 * h.shape; // [2, 3, 20]
 * ```
 */
export class LSTM extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: LSTMOptions = {}) {
    super("LSTM", inputSize, hiddenSize, opts);
  }

  /**
   * x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]), [seq, inputSize] or a
   * PackedSequence (then the output is one too); `hx` is
   * [h0, c0], each [numLayers·directions, batch, hiddenSize]. Returns [output, [hN, cN]].
   */
  forward(x: Tensor, hx?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]];
  forward(x: PackedSequence, hx?: readonly [Tensor, Tensor]): [PackedSequence, [Tensor, Tensor]];
  forward(
    x: Tensor | PackedSequence,
    hx?: readonly [Tensor, Tensor],
  ): [Tensor | PackedSequence, [Tensor, Tensor]] {
    const r = this.runEither(x, hx, ["h0", "c0"]);
    return [r.output, [r.state[0], r.state[1]]];
  }
}

// GRU with PyTorch's gate order (r, z, n), its n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))
// and its parameter names, so weights interchange.
/** Options of {@link GRU}. */
export type GRUOptions = RNNOptions;

/**
 * Multi-layer GRU, as `nn.GRU`: `forward(x, h0?)` returns `[output, hN]`; x is `[L, N, inputSize]`
 * (or `[N, L, inputSize]` with batchFirst) or a PackedSequence.
 */
export class GRU extends RNNBase {
  constructor(inputSize: number, hiddenSize: number, opts: GRUOptions = {}) {
    super("GRU", inputSize, hiddenSize, opts);
  }

  /**
   * x: [seq, batch, inputSize] (batchFirst: [batch, seq, …]), [seq, inputSize] or a
   * PackedSequence (then the output is one too); returns [output, hN].
   */
  forward(x: Tensor, h0?: Tensor): [Tensor, Tensor];
  forward(x: PackedSequence, h0?: Tensor): [PackedSequence, Tensor];
  forward(x: Tensor | PackedSequence, h0?: Tensor): [Tensor | PackedSequence, Tensor] {
    const r = this.runEither(x, h0 ? [h0] : undefined, ["h0"]);
    return [r.output, r.state[0]];
  }
}
