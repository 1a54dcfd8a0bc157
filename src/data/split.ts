// randomSplit: disjoint random subsets covering a dataset, drawn from the global seeded
// generator (so dl.manualSeed makes the split reproducible), with PyTorch's rules for lengths.
import { fail } from "../tensor/errors.js";
import { permutation } from "../tensor/random.js";
import { type Dataset, Subset } from "./dataset.js";

/**
 * Splits `dataset` into subsets of the given lengths: counts summing to dataset.length, or
 * fractions summing to 1 (floored, the remainder handed out one by one from the first split).
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[]): Subset<T>[] {
  const n = dataset.length;
  const counts = resolveLengths(n, lengths);
  const order = permutation(n);
  const out: Subset<T>[] = [];
  let start = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, order.slice(start, start + c)));
    start += c;
  }
  return out;
}

function resolveLengths(n: number, lengths: readonly number[]): number[] {
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((l) => !(l >= 0)))
    fail(
      "randomSplit",
      `lengths must be a non-empty array of non-negative numbers, got ${JSON.stringify(lengths)}`,
    );
  const total = lengths.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) < 1e-9) {
    const counts = lengths.map((f) => Math.floor(n * f));
    let remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; remainder > 0; i = (i + 1) % counts.length, remainder--) counts[i]++;
    return counts;
  }
  if (lengths.some((l) => !Number.isInteger(l)) || total !== n)
    fail(
      "randomSplit",
      `lengths ${JSON.stringify(lengths)} sum to ${total}; expected counts summing to the dataset's ${n} items or fractions summing to 1`,
    );
  return [...lengths];
}
