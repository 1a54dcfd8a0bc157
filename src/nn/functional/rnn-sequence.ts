// The multi-layer, optionally bidirectional recurrence behind RNN, LSTM and GRU. Per layer and
// direction the inputs of all timesteps are projected with one matmul. An LSTM or GRU direction
// then runs as one lstmSequence / gruSequence primitive (the time loop inside one kernel,
// ops/lstm-sequence.ts, ops/gru-sequence.ts); plain RNNs, packed sequences and devices without
// those kernels loop here, one small matmul with the (pre-transposed, contiguous) hidden weight
// and one fused cell per step.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { isGradEnabled } from "../../autograd/mode.js";
import { add } from "../../ops/arithmetic.js";
import { cat } from "../../ops/cat.js";
import { copy } from "../../ops/copy.js";
import { where } from "../../ops/where.js";
import { matmul } from "../../functional/linalg.js";
import { narrow, select, stack, t } from "../../functional/shape.js";
import { linear } from "./linear.js";
import { dropout as dropoutFn } from "./dropout.js";
import { gruUpdate, lstmUpdate, rnnUpdate } from "./rnn.js";
import { lstmSequence } from "../../ops/lstm-sequence.js";
import { gruSequence } from "../../ops/gru-sequence.js";
import { getKernel } from "../../backend/registry.js";
import { zeros } from "../../tensor/create.js";

export type RnnMode = "RNN_TANH" | "RNN_RELU" | "LSTM" | "GRU";

export const GATES: Record<RnnMode, number> = { RNN_TANH: 1, RNN_RELU: 1, LSTM: 4, GRU: 3 };

/** The four tensors of one layer and direction (weight_ih_lK, weight_hh_lK, bias_ih_lK, bias_hh_lK). */
export interface RnnWeights {
  wIh: Tensor;
  wHh: Tensor;
  bIh: Tensor | null;
  bHh: Tensor | null;
}

export interface RnnSequenceOptions {
  mode: RnnMode;
  numLayers: number;
  bidirectional: boolean;
  /** Dropout on the outputs of every layer but the last. */
  dropout: number;
  training: boolean;
  /**
   * bool [T, B, 1], packed sequences only: whether sequence b still runs at step t. A stopped
   * sequence keeps its state (forward: its last one; reverse: h0 until its last step comes).
   */
  running?: Tensor | null;
}

/**
 * Splits x along dim 0 into its rows. Selecting each row directly would make backward
 * unslice every row's gradient into a full-size zero tensor and add them up, O(T²) work;
 * halving recursively keeps that at O(T log T). Without a gradient, plain selects are free views.
 */
export function unbindTime(x: Tensor): Tensor[] {
  const n = x.shape[0];
  if (!x.requiresGrad || !isGradEnabled() || n <= 2)
    return Array.from({ length: n }, (_, i) => select(x, 0, i));
  const half = n >> 1;
  return [...unbindTime(narrow(x, 0, 0, half)), ...unbindTime(narrow(x, 0, half, n - half))];
}

/** One recurrent step: the next state ([h] or [h, c]) from this step's projections. */
function step(mode: RnnMode, gi: Tensor, gh: Tensor, state: Tensor[]): Tensor[] {
  switch (mode) {
    case "RNN_TANH":
      return [rnnUpdate(gi, gh, "tanh")];
    case "RNN_RELU":
      return [rnnUpdate(gi, gh, "relu")];
    case "LSTM":
      return lstmUpdate(gi, gh, state[1]);
    case "GRU":
      return [gruUpdate(gi, gh, state[0])];
  }
}

/**
 * Runs one direction of one layer over x [T, B, In] from `state0` ([B, H] tensors). Returns
 * the hidden state of every timestep in time order [T, B, H], and the final state.
 */
function runDirection(
  mode: RnnMode,
  x: Tensor,
  state0: Tensor[],
  w: RnnWeights,
  reverse: boolean,
  running: Tensor[] | null,
): { output: Tensor; state: Tensor[] } {
  // b_hh can join b_ih in the up-front projection except for GRU, where b_hn sits inside r⊙(·).
  const foldBias = mode !== "GRU";
  const inputBias = foldBias && w.bIh && w.bHh ? add(w.bIh, w.bHh) : w.bIh;
  // A whole LSTM or GRU sequence is one primitive where the device has its kernel (the
  // hidden bias joins its hidden projections); packed sequences (stopped sequences keep their
  // state) take the step-by-step path.
  if (mode === "LSTM" && !running && getKernel("lstmSequence", x.device))
    return lstmDirection(linear(x, w.wIh), state0, w.wHh, inputBias, reverse);
  if (mode === "GRU" && !running && getKernel("gruSequence", x.device))
    return gruDirection(linear(x, w.wIh, w.bIh), state0[0], w.wHh, w.bHh, reverse);
  const projected = linear(x, w.wIh, inputBias);
  const hiddenBias = foldBias ? null : w.bHh;
  const perStep = unbindTime(projected);
  const wHhT = copy(t(w.wHh));
  const steps = perStep.length;
  const outputs = new Array<Tensor>(steps);
  let state = state0;
  for (let k = 0; k < steps; k++) {
    const i = reverse ? steps - 1 - k : k;
    const hProj = matmul(state[0], wHhT);
    const next = step(mode, perStep[i], hiddenBias ? add(hProj, hiddenBias) : hProj, state);
    const prev = state;
    state = running ? next.map((s, j) => where(running[i], s, prev[j])) : next;
    outputs[i] = state[0];
  }
  return { output: stack(outputs, 0), state };
}

/** The LSTM direction as one lstmSequence: every step's h, and the last step's h and c. */
function lstmDirection(
  projected: Tensor,
  [h0, c0]: Tensor[],
  wHh: Tensor,
  bias: Tensor | null,
  reverse: boolean,
) {
  const b = bias ?? zeros([wHh.shape[0]], { device: wHh.device });
  const [xg, w] = [projected.contiguous(), wHh.contiguous()];
  const seq = lstmSequence(xg, h0.contiguous(), c0.contiguous(), w, b.contiguous(), { reverse });
  const last = reverse ? 0 : projected.shape[0] - 1;
  const output = select(seq, 0, 0);
  return { output, state: [select(output, 0, last), select(select(seq, 0, 1), 0, last)] };
}

/** The GRU direction as one gruSequence: every step's h, and the last step's. */
function gruDirection(
  projected: Tensor,
  h0: Tensor,
  wHh: Tensor,
  bHh: Tensor | null,
  reverse: boolean,
) {
  const b = bHh ?? zeros([wHh.shape[0]], { device: wHh.device });
  const [xg, w] = [projected.contiguous(), wHh.contiguous()];
  const output = gruSequence(xg, h0.contiguous(), w, b.contiguous(), { reverse });
  return { output, state: [select(output, 0, reverse ? 0 : projected.shape[0] - 1)] };
}

/**
 * x: [T, B, In]; state0: h0 (and c0 for LSTM), each [numLayers·D, B, H]; weights in PyTorch's
 * order (layer-major, forward before reverse). Returns output [T, B, D·H] and the final
 * state(s) [numLayers·D, B, H].
 */
export function rnnSequence(
  x: Tensor,
  state0: readonly Tensor[],
  weights: readonly RnnWeights[],
  opts: RnnSequenceOptions,
): { output: Tensor; state: Tensor[] } {
  if (x.shape[0] === 0) fail(opts.mode, "expected a sequence length larger than 0");
  const dirs = opts.bidirectional ? 2 : 1;
  const finals: Tensor[][] = state0.map(() => []);
  const running = opts.running ? unbindTime(opts.running) : null;
  let input = x;
  for (let layer = 0; layer < opts.numLayers; layer++) {
    const perDirection: Tensor[] = [];
    for (let d = 0; d < dirs; d++) {
      const k = layer * dirs + d;
      const start = state0.map((s) => select(s, 0, k));
      const r = runDirection(opts.mode, input, start, weights[k], d === 1, running);
      perDirection.push(r.output);
      r.state.forEach((s, j) => finals[j].push(s));
    }
    input = dirs === 2 ? cat(perDirection, -1) : perDirection[0];
    if (opts.dropout > 0 && opts.training && layer < opts.numLayers - 1)
      input = dropoutFn(input, opts.dropout, true);
  }
  return { output: input, state: finals.map((f) => stack(f, 0)) };
}
