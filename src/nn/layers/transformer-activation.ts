// The feed-forward activation of the Transformer layers: "relu", "gelu" or any function, as
// PyTorch accepts a string or a callable.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { relu } from "../../ops/unary.js";
import { gelu } from "../../functional/math.js";

export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor);

export function resolveActivation(
  op: string,
  activation: TransformerActivation,
): (x: Tensor) => Tensor {
  if (typeof activation === "function") return activation;
  if (activation === "relu") return (x) => relu(x);
  if (activation === "gelu") return (x) => gelu(x);
  return fail(
    op,
    `activation should be "relu" or "gelu" or a function, not ${JSON.stringify(activation)}`,
  );
}
