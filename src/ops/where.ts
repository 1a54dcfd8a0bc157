// where: cond ? a : b elementwise with broadcasting; the gradient goes to the chosen branch.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { broadcastShapes } from "../tensor/shape.js";
import { asTensor, commonDevice, resultDType, run, type TensorLike } from "./dispatch.js";
import { cast } from "./copy.js";
import { definePrimitive } from "./primitive.js";

const whereRule: GradRule = {
  savesInputs: true,
  vjp: (g, { inputs: [c], needs }) => [
    null,
    needs[1] ? where(c, g, 0) : null,
    needs[2] ? where(c, 0, g) : null,
  ],
};

/** cond ? a : b. (The method form x.where(cond, y) is PyTorch's; see methods.ts.) */
export const where = definePrimitive(
  { name: "where", kind: "compute", method: false, rule: whereRule },
  function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
    const device = commonDevice("where", [cond, a, b]);
    const dtype = resultDType([a, b]);
    let c = asTensor("where", cond, device, "bool");
    let ta = asTensor("where", a, device, dtype);
    let tb = asTensor("where", b, device, dtype);
    const shape = broadcastShapes("where", c.shape, ta.shape, tb.shape);
    if (c.dtype !== "bool") c = cast(c, "bool");
    if (ta.dtype !== dtype) ta = cast(ta, dtype);
    if (tb.dtype !== dtype) tb = cast(tb, dtype);
    return run("where", whereRule, [c, ta, tb], undefined, { shape, dtype });
  },
);
