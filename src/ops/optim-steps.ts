// The optimizers' updates over a list of parameters as one kernel (PyTorch's multi-tensor
// "foreach" updates: Adam, SGD, RMSprop, Adagrad): each parameter's new value and state are computed from θ, g and the
// state in one pass, and every parameter of the list goes in the same call, so a model of many
// small tensors pays one dispatch per step, not a dozen ops per parameter. The gradient each
// update follows includes PyTorch's maximize and coupled L2 decay; AdamW's decoupled decay
// scales θ first:
//   g ← ±grad + λθ;  θ ← θ·s (AdamW)
//   Adam: m' = m + (1 − β₁)(g − m);  v' = β₂v + (1 − β₂)g²;  θ' = θ − stepSize · m' / (√v' + ε·c)
//   SGD:  b' = μb + (1 − τ)g (b' = g on the first step);  θ' = θ − lr·b' (or θ − lr·(g + μb'))
//   RMSprop: v' = αv + (1 − α)g²;  ḡ' = αḡ + (1 − α)g (centered);  a = √(v' − ḡ'²) + ε (or
//         √v' + ε);  b' = μb + g/a (momentum);  θ' = θ − lr·b' (or θ − lr·g/a)
//   Adagrad: s' = s + g²;  θ' = θ − clr · g/(√s' + ε)
// Each value the composed ops used to store (the decayed gradient, m', v', b', and RMSprop's
// and Adagrad's every intermediate) is rounded to float32 before the next one uses it, so the
// results are bitwise those of the per-op updates.
//
// The output is one float32 tensor: parameter i's results side by side from width·(elements
// before it), θ' first then the state (Adam: m', v'; SGD with momentum: b'; RMSprop: v', then
// ḡ' if centered and b' with momentum; Adagrad: s'). stepResults returns them as views, so
// the new parameters and states share one buffer per step.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { layoutOf } from "../tensor/layouts.js";
import { shapesEqual } from "../tensor/shape.js";
import { isGradEnabled } from "../autograd/mode.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";

/** The gradient an update follows: gradSign·grad + weightDecay·θ, and θ scaled by paramScale. */
export interface FollowedGradient {
  /** −1 to maximize, else 1. */
  readonly gradSign: number;
  /** Coupled L2 decay λ (0 for none). */
  readonly weightDecay: number;
  /** AdamW's decoupled decay: θ is multiplied by this (1 − lr·λ) first; 1 for none. */
  readonly paramScale: number;
}

export interface AdamStepsAttrs extends FollowedGradient {
  /** 1 − β₁. */
  readonly oneMinusBeta1: number;
  readonly beta2: number;
  /** 1 − β₂. */
  readonly oneMinusBeta2: number;
  /** lr / (1 − β₁ᵗ) · √(1 − β₂ᵗ). */
  readonly stepSize: number;
  /** ε · √(1 − β₂ᵗ). */
  readonly eps: number;
}

export interface SgdStepsAttrs extends Omit<FollowedGradient, "paramScale"> {
  readonly lr: number;
  /** μ (0: plain SGD, no buffer). */
  readonly momentum: number;
  /** 1 − τ (dampening). */
  readonly oneMinusDampening: number;
  readonly nesterov: boolean;
  /** Per parameter: no momentum buffer yet, so it starts as the gradient (torch's rule). */
  readonly fresh: readonly boolean[];
}

export interface RmspropStepsAttrs extends Omit<FollowedGradient, "paramScale"> {
  readonly lr: number;
  /** α. */
  readonly alpha: number;
  readonly eps: number;
  /** μ (0: no buffer). */
  readonly momentum: number;
  readonly centered: boolean;
}

export interface AdagradStepsAttrs extends Omit<FollowedGradient, "paramScale"> {
  /** lr / (1 + (step − 1)·lrDecay). */
  readonly lr: number;
  readonly eps: number;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** Values each parameter's results take in the output: θ' and the state. */
export function stepWidth(
  op: "adamSteps" | "sgdSteps" | "rmspropSteps" | "adagradSteps",
  attrs: { momentum?: number; centered?: boolean },
): number {
  if (op === "adamSteps") return 3;
  if (op === "adagradSteps") return 2;
  if (op === "sgdSteps") return attrs.momentum ? 2 : 1;
  return 2 + (attrs.centered ? 1 : 0) + (attrs.momentum ? 1 : 0);
}

/** Checks a list of per-parameter operand groups: contiguous float32, one shape per group. */
function checkGroups(op: string, groups: readonly (readonly Tensor[])[]): Tensor[] {
  if (groups.length === 0) fail(op, "expected at least one parameter");
  const flat: Tensor[] = [];
  for (const [i, group] of groups.entries()) {
    const shape = group[0].shape;
    const ok = group.every(
      (t) => t.dtype === "float32" && t.isContiguous && shapesEqual(t.shape, shape),
    );
    if (!ok)
      fail(
        op,
        `expected contiguous float32 parameter, gradient and state of one shape, got ` +
          `${group.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(", ")} for parameter ${i}`,
      );
    flat.push(...group);
  }
  if (isGradEnabled() && flat.some((t) => t.requiresGrad))
    fail(op, "is not differentiable: call it under dl.noGrad (as optimizer steps do)");
  return flat;
}

/**
 * Checks and runs one of the updates: `per` operands for each parameter, `width` values of
 * results for each of its elements.
 */
function runSteps<A>(
  op: keyof typeof OPERANDS,
  groups: readonly (readonly Tensor[])[],
  per: number,
  attrs: A,
  width: number,
): Tensor {
  if (groups.some((g) => g.length !== per))
    fail(op, `expected [${OPERANDS[op]}] for each parameter`);
  const inputs = checkGroups(op, groups);
  let n = 0;
  for (const g of groups) n += g[0].size;
  return run(op, notDifferentiable, inputs, attrs, { shape: [width * n], dtype: "float32" });
}

const OPERANDS = {
  adamSteps: "parameter, gradient, m, v",
  sgdSteps: "parameter, gradient, momentum buffer",
  rmspropSteps: "parameter, gradient, gradient average, square average, momentum buffer",
  adagradSteps: "parameter, gradient, sum",
};

/** Adam over parameters i: [θᵢ, gᵢ, mᵢ, vᵢ] each; the results as described above. */
export const adamSteps = definePrimitive(
  { name: "adamSteps", kind: "compute", method: false, rule: notDifferentiable },
  function adamSteps(groups: readonly (readonly Tensor[])[], attrs: AdamStepsAttrs): Tensor {
    // Only the known fields travel to the kernels (attrs may be a bigger object).
    const { oneMinusBeta1, beta2, oneMinusBeta2, stepSize, eps } = attrs;
    const { gradSign, weightDecay, paramScale } = attrs;
    const clean: AdamStepsAttrs = {
      ...{ oneMinusBeta1, beta2, oneMinusBeta2, stepSize, eps },
      ...{ gradSign, weightDecay, paramScale },
    };
    return runSteps("adamSteps", groups, 4, clean, 3);
  },
);

/** SGD over parameters i: [θᵢ, gᵢ, bᵢ] each (bᵢ: the buffer, or gᵢ again where fresh). */
export const sgdSteps = definePrimitive(
  { name: "sgdSteps", kind: "compute", method: false, rule: notDifferentiable },
  function sgdSteps(groups: readonly (readonly Tensor[])[], attrs: SgdStepsAttrs): Tensor {
    if (attrs.fresh.length !== groups.length)
      fail("sgdSteps", `expected ${groups.length} fresh flags, got ${attrs.fresh.length}`);
    const { lr, momentum, oneMinusDampening, nesterov, gradSign, weightDecay } = attrs;
    const clean: SgdStepsAttrs = {
      ...{ lr, momentum, oneMinusDampening, nesterov, gradSign, weightDecay },
      fresh: [...attrs.fresh],
    };
    return runSteps("sgdSteps", groups, 3, clean, stepWidth("sgdSteps", clean));
  },
);

/**
 * RMSprop over parameters i: [θᵢ, gᵢ, ḡᵢ, vᵢ, bᵢ] each (ḡ: the gradient average, b: the
 * momentum buffer; gᵢ again where the update has none).
 */
export const rmspropSteps = definePrimitive(
  { name: "rmspropSteps", kind: "compute", method: false, rule: notDifferentiable },
  function rmspropSteps(groups: readonly (readonly Tensor[])[], attrs: RmspropStepsAttrs): Tensor {
    const { lr, alpha, eps, momentum, centered, gradSign, weightDecay } = attrs;
    const clean: RmspropStepsAttrs = { lr, alpha, eps, momentum, centered, gradSign, weightDecay };
    return runSteps("rmspropSteps", groups, 5, clean, stepWidth("rmspropSteps", clean));
  },
);

/** Adagrad over parameters i: [θᵢ, gᵢ, sᵢ] each (s: the sum of squared gradients). */
export const adagradSteps = definePrimitive(
  { name: "adagradSteps", kind: "compute", method: false, rule: notDifferentiable },
  function adagradSteps(groups: readonly (readonly Tensor[])[], attrs: AdagradStepsAttrs): Tensor {
    const { lr, eps, gradSign, weightDecay } = attrs;
    return runSteps("adagradSteps", groups, 3, { lr, eps, gradSign, weightDecay }, 2);
  },
);

/**
 * Parameter i's results as views of the output: [θ'ᵢ, then its `width − 1` state tensors],
 * each of the parameter's shape.
 */
export function stepResults(out: Tensor, shapes: readonly (readonly number[])[], width: number) {
  const results: Tensor[][] = [];
  let at = out.offset;
  for (const shape of shapes) {
    const layout = layoutOf(shape);
    const n = shape.reduce((a, b) => a * b, 1);
    const views: Tensor[] = [];
    for (let k = 0; k < width; k++) views.push(out._view(layout.shape, layout.strides, at + k * n));
    results.push(views);
    at += width * n;
  }
  return results;
}
