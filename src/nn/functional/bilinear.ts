// F.bilinear: y[..., o] = Σ_ij x1[..., i] · W[o, i, j] · x2[..., j] + b[o], computed as one
// matmul of x1 with W laid out [in1, out·in2], then a product with x2 summed over j.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { add, mul } from "../../ops/arithmetic.js";
import { sum } from "../../ops/reductions.js";
import { permute } from "../../ops/views.js";
import { matmul } from "../../functional/linalg.js";
import { reshape, unsqueeze } from "../../functional/shape.js";

/**
 * Bilinear map `y = x1ᵀ A x2 + b`: x1 `[N, in1]`, x2 `[N, in2]`, weight `[out, in1, in2]` → `[N,
 * out]` (`F.bilinear`).
 */
export function bilinear(x1: Tensor, x2: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 3)
    fail("bilinear", `weight must be 3-D [out, in1, in2], got ${fmtShape(weight.shape)}`);
  const [out, in1, in2] = weight.shape;
  const lead = x1.shape.slice(0, -1);
  if (
    x1.ndim === 0 ||
    x1.shape[x1.ndim - 1] !== in1 ||
    x2.shape[x2.ndim - 1] !== in2 ||
    lead.join() !== x2.shape.slice(0, -1).join()
  )
    fail(
      "bilinear",
      `inputs ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)} must be [..., ${in1}] and [..., ${in2}] ` +
        `with equal leading dims (weight ${fmtShape(weight.shape)})`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== out))
    fail("bilinear", `bias ${fmtShape(bias.shape)} must be 1-D of size out_features=${out}`);
  const w = reshape(permute(weight, [1, 0, 2]), [in1, out * in2]);
  const left = reshape(matmul(x1, w), [...lead, out, in2]);
  const y = sum(mul(left, unsqueeze(x2, -2)), -1);
  return bias ? add(y, bias) : y;
}
