// The LSTM cell's gate nonlinearities and state update as one primitive: from the input and
// hidden projections gi, gh [..., 4H] (gates in PyTorch's order i, f, g, o) and the cell
// state c [..., H], one pass computes
//   i, f, o = σ(gi + gh) in their quarters, g = tanh(gi + gh) in its quarter,
//   c' = f⊙c + i⊙g,  h' = o⊙tanh(c')
// and returns [h', c'] stacked as [2, ..., H]. Composed, a step was ten elementwise ops
// forward (each a full pass and an allocation) and about twenty backward, with gate slices
// whose gradients are unsliced into zeros and summed; the fused backward recomputes the
// gates from the saved projections and writes ∂gates [..., 4H] and ∂c [..., H] in one pass.
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

function checkOperands(op: string, gi: Tensor, gh: Tensor, c: Tensor, g?: Tensor): void {
  const hidden = c.shape[c.ndim - 1];
  const lead = c.shape.slice(0, -1).join();
  const gates = (t: Tensor) =>
    t.ndim === c.ndim && t.shape.slice(0, -1).join() === lead && t.shape[t.ndim - 1] === 4 * hidden;
  const ok =
    c.ndim >= 1 &&
    gates(gi) &&
    gates(gh) &&
    (!g || g.shape.join() === [2, ...c.shape].join()) &&
    [gi, gh, c, ...(g ? [g] : [])].every((t) => t.dtype === "float32" && t.isContiguous);
  if (!ok)
    fail(
      op,
      `expected contiguous float32 gate projections [..., 4H] twice and a cell state [..., H]` +
        `${g ? " and a gradient [2, ..., H]" : ""}; got ${gi.dtype}${fmtShape(gi.shape)}, ` +
        `${gh.dtype}${fmtShape(gh.shape)}, ${c.dtype}${fmtShape(c.shape)}`,
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

/** The gate quarter k (0 i, 1 f, 2 g, 3 o) of a [..., 4H] tensor. */
const quarter = (x: Tensor, k: number, hidden: number): Tensor => lastDim(x, k * hidden, hidden);

/**
 * The gradient from differentiable ops, for backward passes that record a graph
 * (createGraph). The plain backward pass runs the fused kernel.
 */
export function composedGrad(gi: Tensor, gh: Tensor, c: Tensor, g: Tensor): Tensor[] {
  const hidden = c.shape[c.ndim - 1];
  const pre = add(gi, gh);
  const [i, f, o] = [0, 1, 3].map((k) => sigmoid(quarter(pre, k, hidden)));
  const gg = tanh(quarter(pre, 2, hidden));
  const cn = add(mul(f, c), mul(i, gg));
  const tc = tanh(cn);
  const n = c.size;
  const dh = view(quarterOfStack(g, 0, n), c.shape);
  const dcn = add(view(quarterOfStack(g, 1, n), c.shape), mul(mul(dh, o), sub(1, mul(tc, tc))));
  const dGates = cat(
    [
      mul(mul(dcn, gg), mul(i, sub(1, i))),
      mul(mul(dcn, c), mul(f, sub(1, f))),
      mul(mul(dcn, i), sub(1, mul(gg, gg))),
      mul(mul(dh, tc), mul(o, sub(1, o))),
    ],
    c.ndim - 1,
  );
  return [dGates, dGates, mul(dcn, f)];
}

/** Half k of the stacked [2, ...] gradient, flattened. */
const quarterOfStack = (g: Tensor, k: number, n: number): Tensor =>
  lastDim(view(g, [2 * n]), k * n, n);

const lstmCellRule: GradRule = {
  savesInputs: true,
  vjp: (g, { inputs: [gi, gh, c] }) => {
    if (isGradEnabled()) return composedGrad(gi, gh, c, g);
    const n = c.size;
    const grads = lstmCellGrad(gi, gh, c, g.contiguous());
    const dGates = view(lastDim(grads, 0, 4 * n), gi.shape);
    return [dGates, dGates, view(lastDim(grads, 4 * n, n), c.shape)];
  },
};

/** [h', c'] of one LSTM step, stacked [2, ..., H] (see the file comment). */
export const lstmCell = definePrimitive(
  { name: "lstmCell", kind: "compute", method: false, rule: lstmCellRule },
  function lstmCell(gi: Tensor, gh: Tensor, c: Tensor): Tensor {
    checkOperands("lstmCell", gi, gh, c);
    return run("lstmCell", lstmCellRule, [gi, gh, c], undefined, {
      shape: [2, ...c.shape],
      dtype: "float32",
    });
  },
);

/**
 * The cell's gradients flattened into one [5·n] tensor (n = c.size): ∂gates [..., 4H] then
 * ∂c [..., H], from the stacked output gradient g [2, ..., H]. Not differentiable.
 */
export const lstmCellGrad = definePrimitive(
  { name: "lstmCellGrad", kind: "compute", method: false, rule: notDifferentiable },
  function lstmCellGrad(gi: Tensor, gh: Tensor, c: Tensor, g: Tensor): Tensor {
    checkOperands("lstmCellGrad", gi, gh, c, g);
    return run("lstmCellGrad", notDifferentiable, [gi, gh, c, g], undefined, {
      shape: [5 * c.size],
      dtype: "float32",
    });
  },
);
