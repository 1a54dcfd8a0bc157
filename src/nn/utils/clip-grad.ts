// Gradient clipping (torch.nn.utils.clip_grad_norm_ / clip_grad_value_): rescales or clamps
// the .grad of each parameter in place. The total norm stays a tensor, so clipping never
// waits on a GPU; every gradient is multiplied by min(1, maxNorm / (norm + 1e-6)).
import { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { tensor } from "../../tensor/create.js";
import { tidy } from "../../memory/scope.js";
import { noGrad } from "../../autograd/mode.js";
import { abs, sqrt } from "../../ops/unary.js";
import { add, div, mul, pow } from "../../ops/arithmetic.js";
import { sum, max } from "../../ops/reductions.js";
import { clamp } from "../../functional/math.js";
import { stack } from "../../functional/shape.js";

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite (reads the norm: CPU only; elsewhere it throws at once, saying so). */
  errorIfNonfinite?: boolean;
}

function gradsOf(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : [...params];
  for (const p of list)
    if (!(p instanceof Tensor)) fail(op, `expected tensors (parameters), got ${typeof p}`);
  return list.flatMap((p) => (p.grad ? [p.grad] : []));
}

function vectorNorm(x: Tensor, p: number): Tensor {
  if (p === Infinity) return max(abs(x));
  if (p === 2) return sqrt(sum(mul(x, x)));
  if (p === 1) return sum(abs(x));
  return pow(sum(pow(abs(x), p)), 1 / p);
}

/**
 * Rescales the gradients of `params` so their combined `normType`-norm is at most maxNorm.
 * Returns the total norm before clipping, as a 0-d tensor.
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  opts: ClipGradNormOptions = {},
): Tensor {
  const op = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm >= 0))
    fail(op, `maxNorm must be a non-negative number, got ${maxNorm}`);
  if (!(normType > 0)) fail(op, `normType must be positive (or Infinity), got ${normType}`);
  const grads = gradsOf(op, params);
  if (grads.length === 0) return tensor(0, { dtype: "float32" });
  const total = noGrad(() =>
    tidy(() => vectorNorm(stack(grads.map((g) => vectorNorm(g, normType))), normType)),
  );
  if (opts.errorIfNonfinite && !total.backend.readSync)
    fail(
      op,
      `errorIfNonfinite reads the total norm before clipping, which cannot wait for the ` +
        `${total.device} device; leave it off and check the returned norm (await norm.item())`,
    );
  if (opts.errorIfNonfinite && !Number.isFinite(total.itemSync()))
    fail(
      op,
      `the total norm of order ${normType} for gradients is non-finite, so it cannot be clipped`,
    );
  noGrad(() =>
    tidy(() => {
      const coef = clamp(div(maxNorm, add(total, 1e-6)), null, 1);
      for (const g of grads) g._assign(mul(g, coef));
    }),
  );
  return total;
}

/** Clamps every gradient element into [−clipValue, clipValue], in place. */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = "clipGradValue";
  if (typeof clipValue !== "number" || !(clipValue >= 0))
    fail(op, `clipValue must be a non-negative number, got ${clipValue}`);
  const grads = gradsOf(op, params);
  noGrad(() =>
    tidy(() => {
      for (const g of grads) g._assign(clamp(g, -clipValue, clipValue));
    }),
  );
}
