// Sampling from tensors of probabilities: multinomial and bernoulli, PyTorch's semantics.
// The uniform numbers come from the seeded host stream (dl.manualSeed, or a generator of the
// caller's own), so a seed gives the same samples on every device; the rest is composed from
// ops that run where the probabilities live, so nothing waits on a GPU.
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { checkInt, checkTensor } from "../tensor/validate.js";
import type { Generator } from "../tensor/random.js";
import { rand } from "../tensor/create-random.js";
import { noGrad } from "../autograd/mode.js";
import { describe } from "../ops/dispatch.js";
import { div, mul, sub } from "../ops/arithmetic.js";
import { log, neg } from "../ops/unary.js";
import { eq, gt, lt } from "../ops/comparison.js";
import { logicalAnd, logicalOr } from "../ops/logical.js";
import { argmax } from "../ops/reductions.js";
import { cast } from "../ops/copy.js";
import { cumsum } from "../ops/scan.js";
import { argsort } from "../ops/sorting.js";
import { flip, narrow, squeeze, unsqueeze } from "./shape.js";

/** Options of {@link multinomial}. */
export interface MultinomialOptions {
  /** Draw with replacement (default false, as torch.multinomial). */
  replacement?: boolean;
  /** A stream of its own instead of the default one. */
  generator?: Generator;
}

/** Options of {@link bernoulli}. */
export interface BernoulliOptions {
  /** A stream of its own instead of the default one. */
  generator?: Generator;
}

/**
 * On the CPU the probabilities are checked as PyTorch checks them (a read there costs
 * nothing); elsewhere reading them would wait on the device, so invalid rows give
 * unspecified samples instead of an error.
 */
function checkProbValues(op: string, p: Tensor, numSamples: number, replacement: boolean): void {
  if (!p.backend.readSync) return;
  const v = p.dataSync();
  const n = p.shape[p.ndim - 1];
  for (let r = 0; r < v.length / n; r++) {
    let total = 0;
    let positive = 0;
    for (let k = 0; k < n; k++) {
      const x = v[r * n + k];
      if (!(x >= 0) || x === Infinity)
        fail(op, `probability tensor contains either inf, nan or element < 0 (row ${r}: ${x})`);
      total += x;
      if (x > 0) positive++;
    }
    if (total === 0) fail(op, `row ${r} of the probabilities sums to zero`);
    if (!replacement && positive < numSamples)
      fail(
        op,
        `cannot draw ${numSamples} samples without replacement: row ${r} has only ${positive} categories with non-zero probability`,
      );
  }
}

/** Category indices drawn with replacement: the first k whose running total passes u·total. */
function withReplacement(p: Tensor, numSamples: number, gen?: Generator): Tensor {
  const rows = p.shape[0];
  const n = p.shape[1];
  const cdf = unsqueeze(cumsum(p, 1), 1); // [rows, 1, n]
  const total = narrow(cdf, 2, n - 1, 1);
  const u = rand([rows, numSamples, 1], { device: p.device, generator: gen });
  const passed = gt(cdf, mul(u, total));
  // Rounding can leave u·total at the total itself: fall back to the last positive category.
  const positive = gt(p, 0);
  const positivesAfter = flip(cumsum(flip(positive, 1), 1), 1);
  const lastPositive = unsqueeze(logicalAnd(positive, eq(positivesAfter, 1)), 1);
  return argmax(cast(logicalOr(passed, lastPositive), "int32"), 2);
}

/**
 * Without replacement by the exponential race PyTorch uses: each category's arrival time
 * E/p (E ~ Exp(1)); the first numSamples arrivals, in order, are a draw without replacement.
 */
function withoutReplacement(p: Tensor, numSamples: number, gen?: Generator): Tensor {
  const u = rand(p.shape, { device: p.device, generator: gen });
  const arrival = div(neg(log(sub(1, u))), p); // 1 - u lies in (0, 1]: E is finite
  return narrow(argsort(arrival, 1), 1, 0, numSamples);
}

/**
 * Draws `numSamples` category indices (int32) from each row of non-negative weights `probs`
 * (1-D: one distribution; 2-D: one per row), as torch.multinomial. Rows need not sum to one.
 */
export function multinomial(
  probs: Tensor,
  numSamples: number,
  opts: MultinomialOptions = {},
): Tensor {
  const op = "multinomial";
  const p0 = checkTensor(op, probs, "probs");
  checkInt(op, numSamples, "numSamples");
  if (p0.dtype !== "float32") fail(op, `probs must be float32, got ${describe(p0)}`);
  if (p0.ndim !== 1 && p0.ndim !== 2)
    fail(op, `probs must be 1-D or 2-D, got shape ${fmtShape(p0.shape)}`);
  const n = p0.shape[p0.ndim - 1];
  if (n === 0) fail(op, `probs ${fmtShape(p0.shape)} has no categories`);
  if (numSamples <= 0) fail(op, `numSamples must be positive, got ${numSamples}`);
  const replacement = opts.replacement ?? false;
  if (!replacement && numSamples > n)
    fail(op, `cannot draw ${numSamples} samples without replacement from ${n} categories`);
  checkProbValues(op, p0, numSamples, replacement);
  return noGrad(() => {
    const p = p0.ndim === 1 ? unsqueeze(p0.detach(), 0) : p0.detach();
    const out = replacement
      ? withReplacement(p, numSamples, opts.generator)
      : withoutReplacement(p, numSamples, opts.generator);
    return p0.ndim === 1 ? squeeze(out, 0) : out;
  });
}

/** 1 with probability p, else 0, elementwise (float32, like p), as torch.bernoulli. */
export function bernoulli(p: Tensor, opts: BernoulliOptions = {}): Tensor {
  const t = checkTensor("bernoulli", p, "p");
  if (t.dtype !== "float32") fail("bernoulli", `p must be float32, got ${describe(t)}`);
  if (t.backend.readSync) {
    const bad = t.dataSync().find((v) => !(v >= 0 && v <= 1));
    if (bad !== undefined) fail("bernoulli", `p must lie in [0, 1], got ${bad}`);
  }
  return noGrad(() => {
    const u = rand(t.shape, { device: t.device, generator: opts.generator });
    return cast(lt(u, t.detach()), "float32");
  });
}
