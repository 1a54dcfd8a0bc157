// fusedMap: several float32 elementwise steps in one pass, for update maths that runs outside
// autograd (optimizer steps). An Adam step written with the elementwise primitives is twelve
// full-size passes, each allocating its output; as three fused maps it reads and writes each
// element once per state tensor. The expressions are data (as every elementwise row's are):
// the CPU loop engine inlines the JavaScript one, the WebGPU map program the WGSL one.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/mode.js";
import { fail } from "../tensor/errors.js";
import { broadcastShapes } from "../tensor/shape.js";
import { asTensor, commonDevice, describe, run, type TensorLike } from "./dispatch.js";
import { cast } from "./copy.js";
import { definePrimitive } from "./primitive.js";

/** The most operands a fused expression reads (a, b, c, d, e). */
export const MAX_FUSED_INPUTS = 5;

/** One fused elementwise expression over float32 operands a, b, c, d, e. */
export interface FusedExpr {
  /** Names the expression in errors. */
  readonly name: string;
  /** JavaScript over a..e (computed in float64, stored as float32). */
  readonly cpu: string;
  /** WGSL over a..e, all f32. */
  readonly wgsl: string;
}

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/**
 * `expr` over the operands broadcast together, in float32, as one kernel. Not differentiable:
 * called where gradients are recorded with an input that requires them, it throws rather
 * than silently cutting the graph.
 */
export const fusedMap = definePrimitive(
  { name: "fusedMap", kind: "compute", method: false, rule: notDifferentiable },
  function fusedMap(expr: FusedExpr, operands: readonly TensorLike[]): Tensor {
    const op = `fusedMap(${expr.name})`;
    if (operands.length < 1 || operands.length > MAX_FUSED_INPUTS)
      fail(op, `takes 1 to ${MAX_FUSED_INPUTS} operands, got ${operands.length}`);
    const device = commonDevice(op, operands);
    const inputs = operands.map((x) => {
      const t = asTensor(op, x, device, "float32");
      if (t.dtype === "bool") fail(op, `expects numeric operands, got ${describe(t)}`);
      return t.dtype === "float32" ? t : cast(t, "float32");
    });
    if (isGradEnabled() && inputs.some((t) => t.requiresGrad))
      fail(op, "is not differentiable: call it under dl.noGrad (as optimizer steps do)");
    const shape = broadcastShapes(op, ...inputs.map((t) => t.shape));
    return run("fusedMap", notDifferentiable, inputs, expr, { shape, dtype: "float32" });
  },
);
