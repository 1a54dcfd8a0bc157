// copy: a contiguous copy of a (possibly strided) view. Gradient passes through unchanged.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { tensorHooks } from "../tensor/tensor.js";
import { run } from "./dispatch.js";

export const copyRule: GradRule = { savesInputs: false, vjp: (g) => [g] };

export function copy(x: Tensor): Tensor {
  return run("copy", copyRule, [x], undefined, { shape: x.shape, dtype: x.dtype });
}

tensorHooks.contiguous = copy;
