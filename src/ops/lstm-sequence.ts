// One LSTM layer and direction over a whole sequence as one primitive, as cuDNN and PyTorch's
// CPU LSTM run it. From the input projections xg [T, B, 4H] (x·W_ihᵀ for every step, one
// matmul outside), the initial state h0, c0 [B, H], W_hh [4H, H] and the bias b [4H]
// (b_ih + b_hh), it runs
//   for each step t (T−1 down to 0 when reversed):
//     gates = xg[t] + b + h_prev·W_hhᵀ,  (h_t, c_t) = lstmCell(gates, c_prev)
// and returns every step's h and c stacked as [2, T, B, H] (out[0] is the layer's output,
// the last step's row of each the final state). Per step the composed path records a matmul,
// a cell, slices and stacks, and backward sums 2T gradient tensors for W_hh and the input
// projections; here one kernel does the loop forward and one backward, which also forms
// ∂W_hh as one product over all steps and ∂b without a [T, B, 4H] broadcast sum.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/mode.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { add } from "./arithmetic.js";
import { cat } from "./cat.js";
import { sum } from "./reductions.js";
import { batchedMatmul } from "./matmul.js";
import { permute, view } from "./views.js";
import { composedGrad as composedCellGrad } from "./lstm-cell.js";
import { checkSequenceOperands, splitGradients, stepView, timeOf } from "./sequence-steps.js";

export interface LstmSequenceAttrs {
  /** Run from the last step to the first (a bidirectional layer's reverse direction). */
  readonly reverse: boolean;
  /**
   * Set by lstmSequence, not its callers: a graph is recorded, so the kernel keeps every
   * step's hidden projection for the backward kernel instead of it recomputing them.
   */
  readonly keepProjections?: boolean;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

function checkOperands(op: string, operands: readonly Tensor[]): void {
  const [xg, h0, c0, w, b, ...rest] = operands;
  const [T, B, G] = xg.shape;
  const H = G / 4;
  const is = (t: Tensor, shape: readonly number[]) => t.shape.join() === shape.join();
  const ok =
    xg.ndim === 3 &&
    Number.isInteger(H) &&
    H > 0 &&
    T > 0 &&
    is(h0, [B, H]) &&
    is(c0, [B, H]) &&
    is(w, [G, H]) &&
    is(b, [G]) &&
    rest.every((t) => is(t, [2, T, B, H])) &&
    operands.every((t) => t.dtype === "float32" && t.isContiguous);
  const outputs = rest.length ? " and output and gradient [2, T, B, H]" : "";
  checkSequenceOperands(
    op,
    ok,
    `contiguous float32 input projections [T, B, 4H], h0 and c0 [B, H], weight_hh [4H, H], bias [4H]${outputs}`,
    operands,
  );
}

/**
 * The gradients from differentiable ops, for backward passes that record a graph
 * (createGraph): the same walk back through time as the kernel, step by step.
 */
function composedSequenceGrad(
  inputs: readonly Tensor[],
  out: Tensor,
  g: Tensor,
  reverse: boolean,
): Tensor[] {
  const [xg, h0, c0, w, b] = inputs;
  const T = xg.shape[0];
  const dxg = new Array<Tensor>(T);
  let [dh, dc, dw, db]: (Tensor | null)[] = [null, null, null, null];
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = timeOf(s, T, reverse);
    const hPrev = prev < 0 ? h0 : stepView(out, [0, prev]);
    const cPrev = prev < 0 ? c0 : stepView(out, [1, prev]);
    const gh = add(batchedMatmul(hPrev, permute(w, [1, 0])), b);
    const [gH, gC] = [stepView(g, [0, t]), stepView(g, [1, t])];
    const gStep = cat([dh ? add(gH, dh) : gH, dc ? add(gC, dc) : gC], 0);
    const [dGates, , dcPrev] = composedCellGrad(
      stepView(xg, [t]),
      gh,
      cPrev,
      view(gStep, [2, ...c0.shape]),
    );
    dxg[t] = view(dGates, [1, ...dGates.shape]);
    dh = batchedMatmul(dGates, w);
    const dwStep = batchedMatmul(permute(dGates, [1, 0]), hPrev);
    dw = dw ? add(dw, dwStep) : dwStep;
    db = db ? add(db, dGates) : dGates;
    dc = dcPrev;
  }
  return [cat(dxg, 0), dh!, dc!, dw!, sum(db!, [0])];
}

const lstmSequenceRule: GradRule<LstmSequenceAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs, output, attrs }) => {
    if (isGradEnabled()) return composedSequenceGrad(inputs, output, g, attrs.reverse);
    const [xg, h0, c0, w, b] = inputs;
    const grads = lstmSequenceGrad(xg, h0, c0, w, b, output, g.contiguous(), attrs);
    return splitGradients(grads, inputs);
  },
};

/** Every step's [h, c] of one LSTM layer and direction, [2, T, B, H] (see the file comment). */
export const lstmSequence = definePrimitive(
  { name: "lstmSequence", kind: "compute", method: false, rule: lstmSequenceRule },
  function lstmSequence(
    xg: Tensor,
    h0: Tensor,
    c0: Tensor,
    wHh: Tensor,
    bias: Tensor,
    attrs: LstmSequenceAttrs,
  ): Tensor {
    const inputs = [xg, h0, c0, wHh, bias];
    checkOperands("lstmSequence", inputs);
    const [T, B, G] = xg.shape;
    const keepProjections = isGradEnabled() && inputs.some((t) => t.requiresGrad);
    return run(
      "lstmSequence",
      lstmSequenceRule,
      inputs,
      { ...attrs, keepProjections },
      {
        shape: [2, T, B, G / 4],
        dtype: "float32",
      },
    );
  },
);

/**
 * The sequence's gradients flattened into one tensor: ∂xg [T, B, 4H], ∂h0, ∂c0 [B, H],
 * ∂W_hh [4H, H] and ∂b [4H] in that order, from the forward's output and its gradient g [2, T, B, H].
 * Not differentiable.
 */
export const lstmSequenceGrad = definePrimitive(
  { name: "lstmSequenceGrad", kind: "compute", method: false, rule: notDifferentiable },
  function lstmSequenceGrad(
    xg: Tensor,
    h0: Tensor,
    c0: Tensor,
    wHh: Tensor,
    bias: Tensor,
    out: Tensor,
    g: Tensor,
    attrs: LstmSequenceAttrs,
  ): Tensor {
    const inputs = [xg, h0, c0, wHh, bias, out, g];
    checkOperands("lstmSequenceGrad", inputs);
    const [T, B, G] = xg.shape;
    const H = G / 4;
    return run("lstmSequenceGrad", notDifferentiable, inputs, attrs, {
      shape: [T * B * G + 2 * B * H + G * H + G],
      dtype: "float32",
    });
  },
);
