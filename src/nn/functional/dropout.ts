// F.dropout: zeroes each element with probability p and scales survivors by 1/(1-p), so the
// expected value is unchanged; the identity when not training. The mask comes from the
// counter-based generator on the tensor's own device (dl.manualSeed makes it reproducible,
// the same on every device): drawing it on the host cost a GPU step more than its maths.
import type { Tensor } from "../../tensor/tensor.js";
import { fail } from "../../tensor/errors.js";
import { deviceUniform } from "../../tensor/create-random.js";
import { ge } from "../../ops/comparison.js";
import { mul } from "../../ops/arithmetic.js";
import { where } from "../../ops/where.js";
import { describe } from "../../ops/dispatch.js";

/** Options of {@link dropout}. */
export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Apply dropout (default true); false returns the input unchanged, as in eval mode. */
  training?: boolean;
}

/** `dropout(x, p, training)` as in PyTorch, or `dropout(x, { p, training })`. */
export function dropout(x: Tensor, p: number | DropoutOptions = 0.5, training = true): Tensor {
  const rate = typeof p === "number" ? p : (p.p ?? 0.5);
  const active = typeof p === "number" ? training : (p.training ?? true);
  if (!(rate >= 0 && rate <= 1))
    fail("dropout", `dropout probability has to be between 0 and 1, but got ${rate}`);
  if (x.dtype !== "float32") fail("dropout", `expected a float32 input, got ${describe(x)}`);
  if (!active || rate === 0) return x;
  const scale = rate === 1 ? 0 : 1 / (1 - rate);
  const mask = where(ge(deviceUniform(x.shape, x.device), rate), scale, 0);
  return mul(x, mask);
}
