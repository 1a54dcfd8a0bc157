// Leaky ReLU as one elementwise primitive. Composed as where(x > 0, x, x·slope) it cost three
// passes forward and four backward (two masked copies of the gradient, a product and their
// sum), about twice a plain relu; in a GAN's discriminator, run three times a step, that was
// a fifth of the step. Here it is one pass each way.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { val } from "../backend/exprs.js";
import { isGradEnabled } from "../autograd/mode.js";
import type { TensorLike } from "./dispatch.js";
import { binary } from "./elementwise.js";
import { definePrimitive } from "./primitive.js";
import type { BinaryDef } from "./elementwise.js";
import { fusedMap, type FusedExpr } from "./fused.js";
import { mul } from "./arithmetic.js";
import { gt } from "./comparison.js";
import { where } from "./where.js";

/** g where x > 0, else g·slope. a: g, b: x, c: slope. NaN in x takes the slope side. */
const INPUT_GRADIENT: FusedExpr = {
  name: "leakyRelu gradient",
  cpu: "(b > 0 ? a : a * c)",
  wgsl: "select(a * c, a, b > 0.0 && !isnan_(b))",
};

// d/dx is 1 where x > 0, else the slope (the slope at 0, as in PyTorch); d/dslope is x where
// x <= 0, else 0 (a learnable slope is PReLU). Without a graph being recorded the input
// gradient is one fused pass; under createGraph it is composed, so it can be differentiated.
const leakyReluRule: GradRule = {
  savesInputs: true,
  savesOutput: false,
  vjp: (g, { inputs: [x, slope], needs }) => [
    needs[0]
      ? isGradEnabled()
        ? mul(g, where(gt(x, 0), 1, slope))
        : fusedMap(INPUT_GRADIENT, [g, x, slope])
      : null,
    needs[1] ? where(gt(x, 0), 0, mul(g, x)) : null,
  ],
};

const def: BinaryDef<"leakyRelu"> = {
  name: "leakyRelu",
  kind: "binary",
  method: true,
  dtypes: "float",
  rule: leakyReluRule,
  cpu: "(a > 0 ? a : a * b)",
  // WGSL compilers may assume no NaNs: the test says so explicitly, so NaN takes a·b (NaN).
  wgsl: () => val("select(a * b, a, a > 0.0 && !isnan_(a))"),
};

/** x where x > 0, else x·negativeSlope (PyTorch's leaky_relu; a tensor slope may learn). */
export const leakyRelu = definePrimitive(
  def,
  (x: TensorLike, negativeSlope: TensorLike = 0.01): Tensor =>
    binary("leakyRelu", x, negativeSlope, leakyReluRule, "float"),
);
