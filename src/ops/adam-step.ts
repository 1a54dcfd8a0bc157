// Adam's update of one parameter as one pass: reads θ, g, m, v once and writes θ', m', v'
// stacked as [3, ...shape] (views of it become the new parameter and state). The three
// fusedMap passes it replaces read seven arrays and wrote three, in three kernels; the
// update is most of what an optimizer step costs outside the GEMMs.
//   m' = m + (1 − β₁)(g − m);  v' = β₂v + (1 − β₂)g²;  θ' = θ − stepSize · m' / (√v' + ε·c)
// m' and v' are rounded to float32 before θ' uses them, so the result is bitwise the one
// the three separate passes gave (they stored m' and v' first).
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { isGradEnabled } from "../autograd/mode.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";

export interface AdamStepAttrs {
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

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/** [θ', m', v'] stacked [3, ...shape] from θ, g, m, v (contiguous float32, one shape). */
export const adamStep = definePrimitive(
  { name: "adamStep", kind: "compute", method: false, rule: notDifferentiable },
  function adamStep(p: Tensor, g: Tensor, m: Tensor, v: Tensor, attrs: AdamStepAttrs): Tensor {
    const operands = [p, g, m, v];
    const ok = operands.every(
      (t) => t.dtype === "float32" && t.isContiguous && t.shape.join() === p.shape.join(),
    );
    if (!ok)
      fail(
        "adamStep",
        `expected contiguous float32 parameter, gradient and moments of one shape, got ` +
          operands.map((t) => `${t.dtype}${fmtShape(t.shape)}`).join(", "),
      );
    if (isGradEnabled() && operands.some((t) => t.requiresGrad))
      fail("adamStep", "is not differentiable: call it under dl.noGrad (as optimizer steps do)");
    const clean: AdamStepAttrs = {
      oneMinusBeta1: attrs.oneMinusBeta1,
      beta2: attrs.beta2,
      oneMinusBeta2: attrs.oneMinusBeta2,
      stepSize: attrs.stepSize,
      eps: attrs.eps,
    };
    return run("adamStep", notDifferentiable, operands, clean, {
      shape: [3, ...p.shape],
      dtype: "float32",
    });
  },
);
