// RNNBase: the multi-layer recurrent base that RNN, LSTM and GRU (recurrent.ts) share.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { zeros } from "../../tensor/create.js";
import { squeeze, transpose, unsqueeze } from "../../functional/shape.js";
import { empty, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { GATES, rnnSequence, type RnnMode, type RnnWeights } from "../functional/rnn-sequence.js";
import { indexSelect } from "../../functional/indexing.js";
import { isPackedSequence, type PackedSequence } from "../utils/rnn.js";
import { dataToPadded, hostInts, ints, paddedToData, runningMask } from "../utils/packed-layout.js";

// RNNBase: what RNN, LSTM and GRU share — PyTorch's parameter names (`weight_ih_l0`,
// `bias_hh_l1_reverse`, ...) in PyTorch's order, so state dicts interchange, its
// U(−1/√H, 1/√H) initialisation, and input handling (time-major or batchFirst, batched or
// unbatched, optional initial state).
/** Options of {@link RNN}, {@link LSTM} and {@link GRU} (PyTorch's names and defaults). */
export interface RNNOptions {
  /** Stacked recurrent layers (default 1). */
  numLayers?: number;
  /** Use bias_ih and bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature]. */
  batchFirst?: boolean;
  /** Dropout on the outputs of each layer except the last, while training (default 0). */
  dropout?: number;
  /** Run a second direction backward over the sequence and concatenate (default false). */
  bidirectional?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

function checkSize(mode: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    fail(mode, `${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * The base of RNN, LSTM and GRU: stacked, optionally bidirectional layers with PyTorch's parameter
 * names and layout (PyTorch's `RNNBase`).
 */
export abstract class RNNBase extends Module {
  /** Stacked recurrent layers. */
  readonly numLayers: number;
  /** Whether the biases are used. */
  readonly bias: boolean;
  /** Whether input and output are `[batch, seq, feature]`. */
  readonly batchFirst: boolean;
  /** Dropout between layers while training. */
  readonly dropout: number;
  /** Whether the layers are bidirectional. */
  readonly bidirectional: boolean;

  constructor(
    /** The cell kind: `"RNN_TANH"`, `"RNN_RELU"`, `"LSTM"` or `"GRU"` (PyTorch's mode). */
    readonly mode: RnnMode,
    /** Features of the input x. */
    readonly inputSize: number,
    /** Features of the hidden state h. */
    readonly hiddenSize: number,
    opts: RNNOptions = {},
  ) {
    super();
    this.numLayers = opts.numLayers ?? 1;
    this.bias = opts.bias ?? true;
    this.batchFirst = opts.batchFirst ?? false;
    this.dropout = opts.dropout ?? 0;
    this.bidirectional = opts.bidirectional ?? false;
    checkSize(mode, "inputSize", inputSize, 0);
    checkSize(mode, "hiddenSize", hiddenSize, 1);
    checkSize(mode, "numLayers", this.numLayers, 1);
    if (!(this.dropout >= 0 && this.dropout <= 1))
      fail(mode, `dropout must be a probability in [0, 1], got ${this.dropout}`);
    const gateRows = GATES[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const own = this as unknown as Record<string, Parameter>;
    for (let layer = 0; layer < this.numLayers; layer++) {
      const layerInput = layer === 0 ? inputSize : hiddenSize * dirs;
      for (let d = 0; d < dirs; d++) {
        const suffix = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        own[`weight_ih${suffix}`] = new Parameter(empty([gateRows, layerInput], opts.device));
        own[`weight_hh${suffix}`] = new Parameter(empty([gateRows, hiddenSize], opts.device));
        if (this.bias) {
          own[`bias_ih${suffix}`] = new Parameter(empty([gateRows], opts.device));
          own[`bias_hh${suffix}`] = new Parameter(empty([gateRows], opts.device));
        }
      }
    }
    this.resetParameters();
  }

  private get directions(): number {
    return this.bidirectional ? 2 : 1;
  }

  /** Parameter names in PyTorch's `_flat_weights_names` order. */
  get flatWeightsNames(): string[] {
    return this.namedParameters().map(([name]) => name);
  }

  /** Re-draws every weight and bias from U(−1/√H, 1/√H), as PyTorch. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  private weightsAt(index: number): RnnWeights {
    const layer = Math.floor(index / this.directions);
    const suffix = `_l${layer}${index % this.directions === 1 ? "_reverse" : ""}`;
    const own = this as unknown as Record<string, Parameter | undefined>;
    return {
      wIh: own[`weight_ih${suffix}`]!,
      wHh: own[`weight_hh${suffix}`]!,
      bIh: own[`bias_ih${suffix}`] ?? null,
      bHh: own[`bias_hh${suffix}`] ?? null,
    };
  }

  /** Checks a user-given initial state and brings it to [L·D, B, H]. */
  private initialState(name: string, given: Tensor, batched: boolean, batch: number): Tensor {
    const rows = this.numLayers * this.directions;
    const expected = batched ? [rows, batch, this.hiddenSize] : [rows, this.hiddenSize];
    if (given.shape.join() !== expected.join())
      fail(
        this.mode,
        `expected ${name} of shape ${fmtShape(expected)} (numLayers·directions, ${batched ? "batch, " : ""}hiddenSize), got ${fmtShape(given.shape)}`,
      );
    return batched ? given : unsqueeze(given, 1);
  }

  /**
   * Runs the recurrence. `state0` is [h0] or [h0, c0] (undefined: zeros). Returns the output in
   * the input's layout and the final state(s) [L·D, (B,) H].
   */
  protected runRecurrence(
    input: Tensor,
    state0: readonly Tensor[] | undefined,
    stateNames: readonly string[],
  ): { output: Tensor; state: Tensor[] } {
    this.checkInput(input, input.ndim === 2 || input.ndim === 3, "");
    const batched = input.ndim === 3;
    const x = !batched ? unsqueeze(input, 1) : this.batchFirst ? transpose(input, 0, 1) : input;
    const given = state0?.map((s, i) => this.initialState(stateNames[i], s, batched, x.shape[1]));
    const r = this.recur(x, given, null);
    const output = !batched
      ? squeeze(r.output, 1)
      : this.batchFirst
        ? transpose(r.output, 0, 1)
        : r.output;
    return { output, state: batched ? r.state : r.state.map((s) => squeeze(s, 1)) };
  }

  /**
   * The recurrence over a PackedSequence: each sequence runs for its own length only, so
   * outputs and final states equal running it alone. The initial and final states are in the
   * original batch order (permuted through sortedIndices as PyTorch does).
   */
  /** runRecurrence or runPackedRecurrence, whichever the input calls for. */
  protected runEither(
    input: Tensor | PackedSequence,
    state0: readonly Tensor[] | undefined,
    stateNames: readonly string[],
  ): { output: Tensor | PackedSequence; state: Tensor[] } {
    return isPackedSequence(input)
      ? this.runPackedRecurrence(input, state0, stateNames)
      : this.runRecurrence(input, state0, stateNames);
  }

  protected runPackedRecurrence(
    input: PackedSequence,
    state0: readonly Tensor[] | undefined,
    stateNames: readonly string[],
  ): { output: PackedSequence; state: Tensor[] } {
    this.checkInput(
      input.data,
      input.data.ndim === 2,
      " (PackedSequence data: [sum of lengths, …])",
    );
    const batchSizes = hostInts(this.mode, input.batchSizes);
    const sorted = input.sortedIndices && hostInts(this.mode, input.sortedIndices);
    const unsorted = input.unsortedIndices && hostInts(this.mode, input.unsortedIndices);
    const x = dataToPadded(input.data, batchSizes);
    const toSorted = (s: Tensor) => (sorted ? indexSelect(s, 1, ints(sorted, s.device)) : s);
    const given = state0?.map((s, i) =>
      toSorted(this.initialState(stateNames[i], s, true, x.shape[1])),
    );
    const r = this.recur(x, given, runningMask(batchSizes, x.device));
    const toOriginal = (s: Tensor) => (unsorted ? indexSelect(s, 1, ints(unsorted, s.device)) : s);
    return {
      output: { ...input, data: paddedToData(r.output, batchSizes) },
      state: r.state.map(toOriginal),
    };
  }

  private checkInput(x: Tensor, rankOk: boolean, packedNote: string): void {
    if (!rankOk || x.shape[x.ndim - 1] !== this.inputSize)
      fail(
        this.mode,
        `expected input of shape [seq, batch, ${this.inputSize}]${this.batchFirst ? " (batchFirst: [batch, seq, …])" : ""} ` +
          `or unbatched [seq, ${this.inputSize}]${packedNote}, got ${fmtShape(x.shape)}`,
      );
    if (x.dtype !== "float32")
      fail(this.mode, `expected a float32 input, got ${x.dtype} ${fmtShape(x.shape)}`);
  }

  /** x [T, B, In] and checked initial states [L·D, B, H] (undefined: zeros). */
  private recur(x: Tensor, given: Tensor[] | undefined, running: Tensor | null) {
    const rows = this.numLayers * this.directions;
    const zerosState = () => zeros([rows, x.shape[1], this.hiddenSize], { device: x.device });
    const start = given ?? Array.from({ length: this.mode === "LSTM" ? 2 : 1 }, zerosState);
    const weights = Array.from({ length: rows }, (_, k) => this.weightsAt(k));
    return rnnSequence(x, start, weights, {
      mode: this.mode,
      numLayers: this.numLayers,
      bidirectional: this.bidirectional,
      dropout: this.dropout,
      training: this.training,
      running,
    });
  }

  override attrs(): Attr[] {
    return [
      attr.int("input_size", this.inputSize, { positional: true }),
      attr.int("hidden_size", this.hiddenSize, { positional: true }),
      attr.int("num_layers", this.numLayers, { quiet: this.numLayers === 1 }),
      attr.bool("bias", this.bias, { quiet: this.bias }),
      attr.bool("batch_first", this.batchFirst, { quiet: !this.batchFirst }),
      attr.text("dropout", this.dropout, { quiet: this.dropout === 0 }),
      attr.bool("bidirectional", this.bidirectional, { quiet: !this.bidirectional }),
    ];
  }
}

// RNN: the Elman recurrence h' = act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act tanh or relu,
// with PyTorch's parameter names and conventions (see rnn-base.ts).
