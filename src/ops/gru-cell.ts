// The GRU cell's gates and state update as one primitive: from the input and hidden
// projections gi, gh [..., 3H] (gates in PyTorch's order r, z, n; gh includes b_hh, so b_hn
// stays inside the reset product) and the hidden state h [..., H], one pass computes
//   r, z = σ(gi + gh) in their thirds,  n = tanh(gi_n + r⊙gh_n),  h' = n + z⊙(h − n).
// Composed, a step was eight elementwise ops forward and about fifteen backward, with the
// gate slices' gradients unsliced into zeros and summed; the fused backward recomputes the
// gates from the saved projections and writes ∂gi, ∂gh [..., 3H] and ∂h [..., H] in one pass.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/mode.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { add, mul, sub } from "./arithmetic.js";
import { sigmoid, tanh } from "./unary.js";
import { cat } from "./cat.js";
import { slice } from "./slice.js";
import { view } from "./views.js";

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

function checkOperands(op: string, gi: Tensor, gh: Tensor, h: Tensor, g?: Tensor): void {
  const hidden = h.shape[h.ndim - 1];
  const lead = h.shape.slice(0, -1).join();
  const gates = (t: Tensor) =>
    t.ndim === h.ndim && t.shape.slice(0, -1).join() === lead && t.shape[t.ndim - 1] === 3 * hidden;
  const ok =
    h.ndim >= 1 &&
    gates(gi) &&
    gates(gh) &&
    (!g || g.shape.join() === h.shape.join()) &&
    [gi, gh, h, ...(g ? [g] : [])].every((t) => t.dtype === "float32" && t.isContiguous);
  if (!ok)
    fail(
      op,
      `expected contiguous float32 gate projections [..., 3H] twice and a hidden state [..., H]` +
        `${g ? " and a gradient [..., H]" : ""}; got ${gi.dtype}${fmtShape(gi.shape)}, ` +
        `${gh.dtype}${fmtShape(gh.shape)}, ${h.dtype}${fmtShape(h.shape)}`,
    );
}

/** `length` entries from `start` along the last dim. */
function lastDim(x: Tensor, start: number, length: number): Tensor {
  const d = x.ndim - 1;
  return slice(x, {
    starts: x.shape.map((_, i) => (i === d ? start : 0)),
    sizes: x.shape.map((s, i) => (i === d ? length : s)),
    steps: x.shape.map(() => 1),
  });
}

/**
 * The gradients from differentiable ops, for backward passes that record a graph
 * (createGraph). The plain backward pass runs the fused kernel.
 */
export function composedGrad(gi: Tensor, gh: Tensor, h: Tensor, g: Tensor): Tensor[] {
  const H = h.shape[h.ndim - 1];
  const third = (x: Tensor, k: number) => lastDim(x, k * H, H);
  const r = sigmoid(add(third(gi, 0), third(gh, 0)));
  const z = sigmoid(add(third(gi, 1), third(gh, 1)));
  const n = tanh(add(third(gi, 2), mul(r, third(gh, 2))));
  const dPreN = mul(mul(g, sub(1, z)), sub(1, mul(n, n)));
  const dPreR = mul(mul(dPreN, third(gh, 2)), mul(r, sub(1, r)));
  const dPreZ = mul(mul(g, sub(h, n)), mul(z, sub(1, z)));
  const d = h.ndim - 1;
  return [cat([dPreR, dPreZ, dPreN], d), cat([dPreR, dPreZ, mul(dPreN, r)], d), mul(g, z)];
}

const gruCellRule: GradRule = {
  savesInputs: true,
  vjp: (g, { inputs: [gi, gh, h] }) => {
    if (isGradEnabled()) return composedGrad(gi, gh, h, g);
    const n = h.size;
    const grads = gruCellGrad(gi, gh, h, g.contiguous());
    return [
      view(lastDim(grads, 0, 3 * n), gi.shape),
      view(lastDim(grads, 3 * n, 3 * n), gh.shape),
      view(lastDim(grads, 6 * n, n), h.shape),
    ];
  },
};

/** h' of one GRU step (see the file comment). */
export const gruCell = definePrimitive(
  { name: "gruCell", kind: "compute", method: false, rule: gruCellRule },
  function gruCell(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
    checkOperands("gruCell", gi, gh, h);
    return run("gruCell", gruCellRule, [gi, gh, h], undefined, {
      shape: h.shape,
      dtype: "float32",
    });
  },
);

/**
 * The cell's gradients flattened into one [7·n] tensor (n = h.size): ∂gi [..., 3H], ∂gh
 * [..., 3H], then ∂h [..., H], from the output gradient g [..., H]. Not differentiable.
 */
export const gruCellGrad = definePrimitive(
  { name: "gruCellGrad", kind: "compute", method: false, rule: notDifferentiable },
  function gruCellGrad(gi: Tensor, gh: Tensor, h: Tensor, g: Tensor): Tensor {
    checkOperands("gruCellGrad", gi, gh, h, g);
    return run("gruCellGrad", notDifferentiable, [gi, gh, h, g], undefined, {
      shape: [7 * h.size],
      dtype: "float32",
    });
  },
);
