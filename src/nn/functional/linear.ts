// F.linear: x Wᵀ + b over any leading batch dims.
import type { Tensor } from "../../tensor/tensor.js";
import { checkTensor } from "../../tensor/validate.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { matmul } from "../../functional/linalg.js";
import { t } from "../../functional/shape.js";
import { add } from "../../ops/arithmetic.js";

/** `y = x Wᵀ + b`: x `[..., in]`, weight `[out, in]`, bias `[out]` → `[..., out]` (`F.linear`). */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor("linear", x);
  checkTensor("linear", weight, "weight");
  const inFeatures = weight.shape[weight.ndim - 1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures)
    fail(
      "linear",
      `input ${fmtShape(x.shape)} does not end in in_features=${inFeatures} (weight ${fmtShape(weight.shape)})`,
    );
  const y = matmul(x, t(weight));
  return bias ? add(y, bias) : y;
}
