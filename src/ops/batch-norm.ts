// Batch normalisation in training mode as fused primitives. For x [N, C, ...] (contiguous
// float32), each channel c is normalised over every other dim with its batch mean μ and
// biased variance σ² (n values per channel):
//   y = (x − μ) · γ / √(σ² + ε) + β
// channelMoments computes [μ; σ²] in two passes (the running estimates use them too);
// batchNormTrain applies them in one; its backward is the closed form
//   ∂x = γ·s/n · (n·g − Σg − x̂·Σ(g·x̂)),  ∂γ = Σ(g·x̂),  ∂β = Σg   (s = 1/√(σ² + ε), x̂ = (x − μ)·s)
// in two passes, where the composed version ran about ten full-size elementwise passes and
// reductions each way. The statistics enter batchNormTrain as an input computed from x by
// channelMoments; the closed form already accounts for their dependence on x, so they take
// no gradient of their own.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/mode.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { add, div, mul, sub } from "./arithmetic.js";
import { sqrt } from "./unary.js";
import { sum } from "./reductions.js";
import { slice } from "./slice.js";
import { view } from "./views.js";

export interface BatchNormAttrs {
  /** Added to the variance. */
  readonly eps: number;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** x [N, C, ...] and the per-channel operands [C] (or [2, C] for the statistics). */
function checkOperands(op: string, x: Tensor, perChannel: readonly (readonly [string, Tensor])[]) {
  const C = x.shape[1];
  const ok =
    x.ndim >= 2 &&
    [x, ...perChannel.map(([, t]) => t)].every((t) => t.dtype === "float32" && t.isContiguous) &&
    perChannel.every(([name, t]) =>
      name === "stats"
        ? t.shape.join() === `2,${C}`
        : name === "g"
          ? t.shape.join() === x.shape.join()
          : t.shape.join() === `${C}`,
    );
  if (!ok)
    fail(
      op,
      `expected a contiguous float32 input [N, C, ...] with statistics [2, C], per-channel ` +
        `operands [C] and a gradient of the input's shape; got x ${x.dtype}${fmtShape(x.shape)}, ` +
        perChannel.map(([n, t]) => `${n} ${t.dtype}${fmtShape(t.shape)}`).join(", "),
    );
}

const channelView = (x: Tensor) => x.shape.map((s, d) => (d === 1 ? s : 1));
const reducedDims = (x: Tensor) => x.shape.map((_, d) => d).filter((d) => d !== 1);

/** Entries [start, start + length) of a flat tensor. */
const range = (t: Tensor, start: number, length: number) =>
  slice(t, { starts: [start], sizes: [length], steps: [1] });

/**
 * The gradients rebuilt from differentiable ops, for backward passes that record a graph
 * (createGraph). The plain backward pass runs the fused kernel.
 */
function composedGrad(x: Tensor, w: Tensor, g: Tensor, eps: number): (Tensor | null)[] {
  const dims = reducedDims(x);
  const shape = channelView(x);
  const n = x.size / x.shape[1];
  const mu = div(sum(x, dims, true), n);
  const centered = sub(x, mu);
  const s = div(1, sqrt(add(div(sum(mul(centered, centered), dims, true), n), eps)));
  const xhat = mul(centered, s);
  const sg = sum(g, dims, true);
  const sgx = sum(mul(g, xhat), dims, true);
  const scale = div(mul(view(w, shape), s), n);
  const dx = mul(scale, sub(sub(mul(g, n), sg), mul(xhat, sgx)));
  return [dx, null, view(sgx, [x.shape[1]]), view(sg, [x.shape[1]])];
}

const batchNormRule: GradRule<BatchNormAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, stats, w], attrs }) => {
    if (isGradEnabled()) return composedGrad(x, w, g, attrs.eps);
    const grads = batchNormTrainGrad(x, stats, w, g.contiguous(), attrs);
    const [size, C] = [x.size, x.shape[1]];
    return [
      view(range(grads, 0, size), x.shape),
      null,
      range(grads, size, C),
      range(grads, size + C, C),
    ];
  },
};

/** [μ; σ²] [2, C] of x [N, C, ...] per channel, the variance biased. Not differentiable. */
export const channelMoments = definePrimitive(
  { name: "channelMoments", kind: "compute", method: false, rule: notDifferentiable },
  function channelMoments(x: Tensor): Tensor {
    checkOperands("channelMoments", x, []);
    return run("channelMoments", notDifferentiable, [x], undefined, {
      shape: [2, x.shape[1]],
      dtype: "float32",
    });
  },
);

/** y = (x − μ)·γ/√(σ² + ε) + β with stats = channelMoments(x) (see the file comment). */
export const batchNormTrain = definePrimitive(
  { name: "batchNormTrain", kind: "compute", method: false, rule: batchNormRule },
  function batchNormTrain(
    x: Tensor,
    stats: Tensor,
    w: Tensor,
    b: Tensor,
    attrs: BatchNormAttrs,
  ): Tensor {
    const operands = [
      ["stats", stats],
      ["weight", w],
      ["bias", b],
    ] as const;
    checkOperands("batchNormTrain", x, operands);
    return run(
      "batchNormTrain",
      batchNormRule,
      [x, stats, w, b],
      { eps: attrs.eps },
      {
        shape: x.shape,
        dtype: "float32",
      },
    );
  },
);

/**
 * The gradients flattened into one [size + 2C] tensor: ∂x (x's shape), ∂γ [C], ∂β [C], from
 * the output gradient g. Not differentiable.
 */
export const batchNormTrainGrad = definePrimitive(
  { name: "batchNormTrainGrad", kind: "compute", method: false, rule: notDifferentiable },
  function batchNormTrainGrad(
    x: Tensor,
    stats: Tensor,
    w: Tensor,
    g: Tensor,
    attrs: BatchNormAttrs,
  ): Tensor {
    checkOperands("batchNormTrainGrad", x, [
      ["stats", stats],
      ["weight", w],
      ["g", g],
    ]);
    return run(
      "batchNormTrainGrad",
      notDifferentiable,
      [x, stats, w, g],
      { eps: attrs.eps },
      {
        shape: [x.size + 2 * x.shape[1]],
        dtype: "float32",
      },
    );
  },
);
