// Recurrent cells with PyTorch's equations and gate order. Each update takes the input
// projection `gi` (x W_ihᵀ + b_ih) and the hidden projection `gh` (h W_hhᵀ + b_hh) already
// computed: the sequence layers project every timestep's input with one matmul up front and
// only multiply the hidden state inside the time loop. The public *Cell functions are the
// one-step forms (torch's rnn_tanh_cell, lstm_cell, gru_cell) built on the same updates.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { add } from "../../ops/arithmetic.js";
import { tanh, relu } from "../../ops/unary.js";
import { select } from "../../functional/shape.js";
import { lstmCell as fusedLstmCell } from "../../ops/lstm-cell.js";
import { gruCell as fusedGruCell } from "../../ops/gru-cell.js";
import { linear } from "./linear.js";

/** The nonlinearity of an Elman RNN. */
export type RnnNonlinearity = "tanh" | "relu";

/** Elman RNN: h' = act(gi + gh). */
export function rnnUpdate(gi: Tensor, gh: Tensor, nonlinearity: RnnNonlinearity): Tensor {
  const pre = add(gi, gh);
  return nonlinearity === "relu" ? relu(pre) : tanh(pre);
}

/**
 * LSTM with gates in PyTorch's order i, f, g, o: c' = f⊙c + i⊙g, h' = o⊙tanh(c'), as the
 * fused primitive (one kernel forward, one backward per step; ops/lstm-cell.ts).
 */
export function lstmUpdate(gi: Tensor, gh: Tensor, c: Tensor): [Tensor, Tensor] {
  const next = fusedLstmCell(gi.contiguous(), gh.contiguous(), c.contiguous());
  return [select(next, 0, 0), select(next, 0, 1)];
}

/**
 * GRU with gates r, z, n: n = tanh(gi_n + r⊙gh_n) keeps b_hn inside the reset product
 * (PyTorch's variant, so gh must include b_hh), h' = (1 − z)⊙n + z⊙h = n + z⊙(h − n), as
 * the fused primitive (one kernel forward, one backward per step; ops/gru-cell.ts).
 */
export function gruUpdate(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  return fusedGruCell(gi.contiguous(), gh.contiguous(), h.contiguous());
}

/** The weights every one-step cell takes after its state, in torch's order. */
type CellWeights = [wIh: Tensor, wHh: Tensor, bIh?: Tensor | null, bHh?: Tensor | null];

function checkCell(op: string, x: Tensor, h: Tensor, [wIh, wHh]: CellWeights, gates: number): void {
  const hidden = wHh.shape[1];
  const ok =
    wIh.ndim === 2 &&
    wHh.ndim === 2 &&
    wIh.shape[0] === gates * hidden &&
    wHh.shape[0] === gates * hidden &&
    (x.ndim === 1 || x.ndim === 2) &&
    h.ndim === x.ndim &&
    x.shape[x.ndim - 1] === wIh.shape[1] &&
    h.shape[h.ndim - 1] === hidden &&
    (x.ndim === 1 || x.shape[0] === h.shape[0]);
  if (!ok)
    fail(
      op,
      `expected input [batch, inputSize] or [inputSize], hidden [batch, H], weight_ih [${gates}H, inputSize] ` +
        `and weight_hh [${gates}H, H]; got input ${fmtShape(x.shape)}, hidden ${fmtShape(h.shape)}, ` +
        `weight_ih ${fmtShape(wIh.shape)}, weight_hh ${fmtShape(wHh.shape)}`,
    );
}

/** The input and hidden projections [x W_ihᵀ + b_ih, h W_hhᵀ + b_hh] the updates take. */
const project = (x: Tensor, h: Tensor, [wIh, wHh, bIh, bHh]: CellWeights): [Tensor, Tensor] => [
  linear(x, wIh, bIh),
  linear(h, wHh, bHh),
];

/** One Elman step: act(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh), act = tanh. */
export function rnnTanhCell(x: Tensor, h: Tensor, ...weights: CellWeights): Tensor {
  checkCell("rnnTanhCell", x, h, weights, 1);
  return rnnUpdate(...project(x, h, weights), "tanh");
}

/** One Elman step with relu. */
export function rnnReluCell(x: Tensor, h: Tensor, ...weights: CellWeights): Tensor {
  checkCell("rnnReluCell", x, h, weights, 1);
  return rnnUpdate(...project(x, h, weights), "relu");
}

/** One LSTM step; returns [h', c']. */
export function lstmCell(
  x: Tensor,
  [h, c]: readonly [Tensor, Tensor],
  ...weights: CellWeights
): [Tensor, Tensor] {
  checkCell("lstmCell", x, h, weights, 4);
  if (c.shape.join() !== h.shape.join())
    fail("lstmCell", `cell state ${fmtShape(c.shape)} must match hidden ${fmtShape(h.shape)}`);
  return lstmUpdate(...project(x, h, weights), c);
}

/** One GRU step. */
export function gruCell(x: Tensor, h: Tensor, ...weights: CellWeights): Tensor {
  checkCell("gruCell", x, h, weights, 3);
  return gruUpdate(...project(x, h, weights), h);
}
