// Cross-entropy of logits against class indices as one primitive: log-softmax and the
// negative log-likelihood in one pass over each row, and its gradient (softmax − target
// distribution, weighted) in one pass too. Composed from log-softmax, gather and the
// smoothing sum it was ~10 full-size passes forward and as many backward, each allocating.
//
// For one row x (C logits), target t, class weights w, smoothing ε, lse = log Σ e^x:
//   loss = (1 − ε)·w_t·(lse − x_t) + (ε/C)·Σ_c w_c·(lse − x_c)     (0 where t = ignoreIndex)
//   ∂loss/∂x_j = p_j·((1 − ε)·w_t + (ε/C)·W) − (1 − ε)·w_t·[j = t] − (ε/C)·w_j,  W = Σ_c w_c
// The reduction (sum, or mean over the counted targets' weights) stays composed outside.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled, noGrad } from "../autograd/mode.js";
import { arange } from "../tensor/create.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { add, div, mul, sub } from "./arithmetic.js";
import { exp } from "./unary.js";
import { eq, ne } from "./comparison.js";
import { cast } from "./copy.js";
import { where } from "./where.js";
import { gather } from "./indexing.js";
import { amax, sum } from "./reductions.js";
import { view } from "./views.js";

export interface CrossEntropyAttrs {
  /** Targets equal to this add nothing (loss and gradient 0). */
  readonly ignoreIndex: number;
  /** Label smoothing ε in [0, 1]. */
  readonly smoothing: number;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** Shapes every kernel may assume: x [N, C] and w [C] float32, t [N] int32, all contiguous. */
function checkOperands(op: string, x: Tensor, t: Tensor, w: Tensor, g?: Tensor): void {
  const [n, c] = x.shape;
  const ok =
    x.ndim === 2 &&
    x.dtype === "float32" &&
    t.dtype === "int32" &&
    w.dtype === "float32" &&
    t.shape.join() === `${n}` &&
    w.shape.join() === `${c}` &&
    (!g || (g.dtype === "float32" && g.shape.join() === `${n}`)) &&
    [x, t, w, ...(g ? [g] : [])].every((v) => v.isContiguous);
  if (!ok)
    fail(
      op,
      `expected contiguous logits float32 [N, C], targets int32 [N] and weights float32 [C]` +
        `${g ? " and a gradient float32 [N]" : ""}; got ${x.dtype}${fmtShape(x.shape)}, ` +
        `${t.dtype}${fmtShape(t.shape)}, ${w.dtype}${fmtShape(w.shape)}`,
    );
}

/**
 * The gradient rebuilt from differentiable ops, for backward passes that record a graph
 * (createGraph: second derivatives). The plain backward pass runs the fused kernel.
 */
function composedGrad(x: Tensor, t: Tensor, w: Tensor, g: Tensor, a: CrossEntropyAttrs): Tensor {
  const [n, c] = x.shape;
  const counted = ne(t, a.ignoreIndex);
  const safe = view(where(counted, t, 0), [n, 1]);
  const shifted = sub(
    x,
    noGrad(() => amax(x, 1, true)),
  );
  const e = exp(shifted);
  const p = div(e, sum(e, 1, true));
  const wt = gather(w, 0, view(safe, [n]));
  const coef = add(mul(wt, 1 - a.smoothing), mul(sum(w), a.smoothing / c));
  const classes = arange(0, c, { dtype: "int32", device: x.device });
  const onehot = cast(eq(safe, view(classes, [1, c])), "float32");
  const d = sub(
    sub(mul(p, view(coef, [n, 1])), mul(onehot, view(mul(wt, 1 - a.smoothing), [n, 1]))),
    mul(view(w, [1, c]), a.smoothing / c),
  );
  return mul(d, view(mul(g, cast(counted, "float32")), [n, 1]));
}

const crossEntropyRule: GradRule<CrossEntropyAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, t, w], attrs, needs }) => [
    needs[0]
      ? isGradEnabled()
        ? composedGrad(x, t, w, g, attrs)
        : softmaxCrossEntropyGrad(x, t, w, g.contiguous(), attrs)
      : null,
    null,
    null,
  ],
};

/** Per-row cross-entropy loss [N] of logits x [N, C] (see the file comment). */
export const softmaxCrossEntropy = definePrimitive(
  { name: "softmaxCrossEntropy", kind: "compute", method: false, rule: crossEntropyRule },
  function softmaxCrossEntropy(x: Tensor, t: Tensor, w: Tensor, attrs: CrossEntropyAttrs): Tensor {
    checkOperands("softmaxCrossEntropy", x, t, w);
    const clean = { ignoreIndex: attrs.ignoreIndex, smoothing: attrs.smoothing };
    return run("softmaxCrossEntropy", crossEntropyRule, [x, t, w], clean, {
      shape: [x.shape[0]],
      dtype: "float32",
    });
  },
);

/** ∂loss/∂x [N, C] scaled by each row's incoming gradient g [N] (not differentiable). */
export const softmaxCrossEntropyGrad = definePrimitive(
  { name: "softmaxCrossEntropyGrad", kind: "compute", method: false, rule: notDifferentiable },
  function softmaxCrossEntropyGrad(
    x: Tensor,
    t: Tensor,
    w: Tensor,
    g: Tensor,
    attrs: CrossEntropyAttrs,
  ): Tensor {
    checkOperands("softmaxCrossEntropyGrad", x, t, w, g);
    return run("softmaxCrossEntropyGrad", notDifferentiable, [x, t, w, g], attrs, {
      shape: x.shape,
      dtype: "float32",
    });
  },
);
