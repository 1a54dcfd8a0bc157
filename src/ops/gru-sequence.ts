// One GRU layer and direction over a whole sequence as one primitive (as lstm-sequence.ts for
// the LSTM). From the input projections xg [T, B, 3H] (x·W_ihᵀ + b_ih for every step, one
// matmul outside), the initial state h0 [B, H], W_hh [3H, H] and b_hh [3H] (which stays
// apart from b_ih: b_hn sits inside the reset gate's product), it runs
//   for each step t (T−1 down to 0 when reversed):
//     gh = h_prev·W_hhᵀ + b_hh,  h_t = gruCell(xg[t], gh, h_prev)
// and returns every step's h as [T, B, H] (the last step's row is the final state). One
// kernel runs the loop forward and one backward, which forms ∂W_hh as one product over all
// steps and ∂b_hh without a [T, B, 3H] broadcast sum.
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
import { composedGrad as composedCellGrad } from "./gru-cell.js";
import { checkSequenceOperands, splitGradients, stepView, timeOf } from "./sequence-steps.js";

export interface GruSequenceAttrs {
  /** Run from the last step to the first (a bidirectional layer's reverse direction). */
  readonly reverse: boolean;
  /**
   * Set by gruSequence, not its callers: a graph is recorded, so the kernel keeps every
   * step's hidden projection for the backward kernel instead of it recomputing them.
   */
  readonly keepProjections?: boolean;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

function checkOperands(op: string, operands: readonly Tensor[]): void {
  const [xg, h0, w, b, ...rest] = operands;
  const [T, B, G] = xg.shape;
  const H = G / 3;
  const is = (t: Tensor, shape: readonly number[]) => t.shape.join() === shape.join();
  const ok =
    xg.ndim === 3 &&
    Number.isInteger(H) &&
    H > 0 &&
    T > 0 &&
    is(h0, [B, H]) &&
    is(w, [G, H]) &&
    is(b, [G]) &&
    rest.every((t) => is(t, [T, B, H])) &&
    operands.every((t) => t.dtype === "float32" && t.isContiguous);
  const outputs = rest.length ? " and output and gradient [T, B, H]" : "";
  checkSequenceOperands(
    op,
    ok,
    `contiguous float32 input projections [T, B, 3H], h0 [B, H], weight_hh [3H, H], bias_hh [3H]${outputs}`,
    operands,
  );
}

/**
 * The gradients from differentiable ops, for backward passes that record a graph
 * (createGraph): the same walk back through time as the kernel, step by step.
 */
function composedSequenceGrad(
  [xg, h0, w, b]: readonly Tensor[],
  out: Tensor,
  g: Tensor,
  reverse: boolean,
): Tensor[] {
  const T = xg.shape[0];
  const dxg = new Array<Tensor>(T);
  let [dh, dw, db]: (Tensor | null)[] = [null, null, null];
  for (let s = T - 1; s >= 0; s--) {
    const [t, prev] = timeOf(s, T, reverse);
    const hPrev = prev < 0 ? h0 : stepView(out, [prev]);
    const gh = add(batchedMatmul(hPrev, permute(w, [1, 0])), b);
    const gStep = dh ? add(stepView(g, [t]), dh) : stepView(g, [t]);
    const [dGi, dGh, dhDirect] = composedCellGrad(stepView(xg, [t]), gh, hPrev, gStep);
    dxg[t] = view(dGi, [1, ...dGi.shape]);
    dh = add(dhDirect, batchedMatmul(dGh, w));
    const dwStep = batchedMatmul(permute(dGh, [1, 0]), hPrev);
    dw = dw ? add(dw, dwStep) : dwStep;
    db = db ? add(db, dGh) : dGh;
  }
  return [cat(dxg, 0), dh!, dw!, sum(db!, [0])];
}

const gruSequenceRule: GradRule<GruSequenceAttrs> = {
  savesInputs: true,
  savesOutput: true,
  vjp: (g, { inputs, output, attrs }) => {
    if (isGradEnabled()) return composedSequenceGrad(inputs, output, g, attrs.reverse);
    const [xg, h0, w, b] = inputs;
    return splitGradients(gruSequenceGrad(xg, h0, w, b, output, g.contiguous(), attrs), inputs);
  },
};

/** Every step's h of one GRU layer and direction, [T, B, H] (see the file comment). */
export const gruSequence = definePrimitive(
  { name: "gruSequence", kind: "compute", method: false, rule: gruSequenceRule },
  function gruSequence(
    xg: Tensor,
    h0: Tensor,
    wHh: Tensor,
    bHh: Tensor,
    attrs: GruSequenceAttrs,
  ): Tensor {
    const inputs = [xg, h0, wHh, bHh];
    checkOperands("gruSequence", inputs);
    const [T, B, G] = xg.shape;
    const keepProjections = isGradEnabled() && inputs.some((t) => t.requiresGrad);
    return run(
      "gruSequence",
      gruSequenceRule,
      inputs,
      { ...attrs, keepProjections },
      { shape: [T, B, G / 3], dtype: "float32" },
    );
  },
);

/**
 * The sequence's gradients flattened into one tensor: ∂xg [T, B, 3H], ∂h0 [B, H], ∂W_hh
 * [3H, H] and ∂b_hh [3H] in that order, from the forward's output and its gradient g
 * [T, B, H]. Not differentiable.
 */
export const gruSequenceGrad = definePrimitive(
  { name: "gruSequenceGrad", kind: "compute", method: false, rule: notDifferentiable },
  function gruSequenceGrad(
    xg: Tensor,
    h0: Tensor,
    wHh: Tensor,
    bHh: Tensor,
    out: Tensor,
    g: Tensor,
    attrs: GruSequenceAttrs,
  ): Tensor {
    const inputs = [xg, h0, wHh, bHh, out, g];
    checkOperands("gruSequenceGrad", inputs);
    const [T, B, G] = xg.shape;
    const H = G / 3;
    return run("gruSequenceGrad", notDifferentiable, inputs, attrs, {
      shape: [T * B * G + B * H + G * H + G],
      dtype: "float32",
    });
  },
);
