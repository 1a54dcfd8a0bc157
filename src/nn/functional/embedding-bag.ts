// F.embeddingBag as PyTorch's: the rows of `weight` picked by indices, reduced per bag by sum,
// mean or max without materialising the per-index embeddings as a padded batch for sum and
// mean (scatterAdd over bag ids). Bags come from a 2-D input (one bag per row) or a 1-D input
// cut by offsets (their starts), read on the host: offsets are a number[] or a CPU tensor.
// Empty bags give zeros; paddingIdx entries are left out of their bag (and of its count).
import { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { full, tensor, zeros } from "../../tensor/create.js";
import { describe } from "../../ops/dispatch.js";
import { div, maximum, mul } from "../../ops/arithmetic.js";
import { eq, ne } from "../../ops/comparison.js";
import { where } from "../../ops/where.js";
import { cat } from "../../ops/cat.js";
import { cast } from "../../ops/copy.js";
import { max } from "../../ops/reductions.js";
import { scatterAdd } from "../../ops/indexing.js";
import { indexSelect } from "../../functional/indexing.js";
import { expand, view } from "../../ops/views.js";
import { reshape } from "../../functional/shape.js";
import { resolvePaddingIdx } from "./embedding.js";

/** How a bag's rows are combined: summed, averaged or max-pooled. */
export type EmbeddingBagMode = "sum" | "mean" | "max";

/** Options of {@link embeddingBag}. */
export interface EmbeddingBagOptions {
  /** Start of each bag in a 1-D input (required for 1-D input, not allowed for 2-D). */
  offsets?: readonly number[] | Tensor | null;
  /** How a bag's rows combine (default "mean"). */
  mode?: EmbeddingBagMode; // "mean"
  /** Weights multiplying each index's row, shaped like input (mode "sum" only). */
  perSampleWeights?: Tensor | null;
  /** offsets has B + 1 entries, the last one the input's length (PyTorch's convention). */
  includeLastOffset?: boolean;
  /** An index left out of every bag. */
  paddingIdx?: number | null;
}

const OP = "embeddingBag";

/** The start and end of every bag in the flattened input. */
function bagBounds(input: Tensor, opts: EmbeddingBagOptions): [number, number][] {
  const total = input.size;
  if (input.ndim === 2) {
    if (opts.offsets != null)
      fail(OP, `offsets must be null for a 2-D input ${fmtShape(input.shape)} (each row is a bag)`);
    const [bags, len] = input.shape;
    return Array.from({ length: bags }, (_, b) => [b * len, (b + 1) * len]);
  }
  if (input.ndim !== 1)
    fail(
      OP,
      `input must be 1-D (with offsets) or 2-D [bags, length], got ${fmtShape(input.shape)}`,
    );
  const raw = opts.offsets;
  if (raw == null) fail(OP, `offsets are required for a 1-D input ${fmtShape(input.shape)}`);
  if (raw instanceof Tensor && (raw.device !== "cpu" || raw.ndim !== 1))
    fail(
      OP,
      `offsets must be a 1-D CPU tensor or a number[], got ${raw.device} ${fmtShape(raw.shape)}`,
    );
  const starts = raw instanceof Tensor ? Array.from(raw.dataSync()) : [...raw];
  if (starts.length > 0 && starts[0] !== 0)
    fail(OP, `offsets[0] must be 0 (the first bag starts the input), got ${starts[0]}`);
  starts.forEach((s, i) => {
    if (!Number.isInteger(s) || s < (starts[i - 1] ?? 0) || s > total)
      fail(
        OP,
        `offsets must be non-decreasing integers within [0, ${total}], got ${JSON.stringify(starts)}`,
      );
  });
  const ends = opts.includeLastOffset ? starts.slice(1) : [...starts.slice(1), total];
  if (opts.includeLastOffset && starts.at(-1) !== total)
    fail(
      OP,
      `with includeLastOffset the last offset must be the input's length ${total}, got ${starts.at(-1)}`,
    );
  return ends.map((end, b) => [starts[b], end]);
}

/** int32 on `device`. */
const ints = (values: number[], device: Tensor["device"]) =>
  tensor(Int32Array.from(values), { shape: [values.length], device });

/**
 * Sums, averages or max-pools the embedding rows of each bag of indices without materialising them
 * (`F.embedding_bag`): 2-D input `[B, L]` is B bags of L, 1-D input is split by `offsets`; → `[B,
 * D]`.
 */
export function embeddingBag(
  input: Tensor,
  weight: Tensor,
  opts: EmbeddingBagOptions = {},
): Tensor {
  if (!(input instanceof Tensor) || input.dtype !== "int32")
    fail(OP, `indices must be an int32 tensor, got ${describe(input)}`);
  if (weight.ndim !== 2)
    fail(OP, `weight must be 2-D [num_embeddings, embedding_dim], got ${fmtShape(weight.shape)}`);
  const mode = opts.mode ?? "mean";
  if (mode !== "sum" && mode !== "mean" && mode !== "max")
    fail(OP, `mode must be "sum", "mean" or "max", got ${JSON.stringify(mode)}`);
  const [n, dim] = weight.shape;
  const pad = resolvePaddingIdx(OP, opts.paddingIdx, n);
  const bounds = bagBounds(input, opts);
  const flat = reshape(input, [-1]);
  let sampleWeight = checkSampleWeights(opts.perSampleWeights, input, mode);
  if (pad !== null) {
    const kept = cast(ne(flat, pad), "float32");
    sampleWeight = sampleWeight ? mul(sampleWeight, kept) : kept;
  }
  const rows = indexSelect(weight, 0, flat); // [M, dim]
  const bags = bounds.length;
  if (mode === "max") return maxBags(rows, bounds, dim, sampleWeight);
  const bagOf = bounds.flatMap(([s, e], b) => new Array<number>(e - s).fill(b));
  const ids = ints(bagOf, input.device);
  const weighted = sampleWeight ? mul(rows, view(sampleWeight, [-1, 1])) : rows;
  const target = zeros([bags, dim], { device: weight.device });
  const sums = scatterAdd(target, 0, expand(view(ids, [-1, 1]), [bagOf.length, dim]), weighted);
  if (mode === "sum") return sums;
  const ones = sampleWeight ?? full([bagOf.length], 1, { device: weight.device });
  const counts = scatterAdd(zeros([bags], { device: weight.device }), 0, ids, ones);
  return div(sums, view(maximum(counts, 1), [-1, 1]));
}

function checkSampleWeights(w: Tensor | null | undefined, input: Tensor, mode: EmbeddingBagMode) {
  if (w == null) return null;
  if (mode !== "sum")
    fail(OP, `perSampleWeights are only supported with mode "sum", got mode "${mode}"`);
  if (!(w instanceof Tensor) || w.shape.join() !== input.shape.join())
    fail(
      OP,
      `perSampleWeights must have the input's shape ${fmtShape(input.shape)}, got ${w instanceof Tensor ? fmtShape(w.shape) : typeof w}`,
    );
  return reshape(w, [-1]);
}

/**
 * Max per bag: rows gathered into [bags, longest, dim] with a −∞ row where a bag is shorter
 * (or an entry is padding), then max over the bag; a bag with nothing left gives zeros.
 */
function maxBags(rows: Tensor, bounds: [number, number][], dim: number, kept: Tensor | null) {
  const m = rows.shape[0];
  const longest = Math.max(0, ...bounds.map(([s, e]) => e - s));
  if (longest === 0) return zeros([bounds.length, dim], { device: rows.device });
  let source = rows;
  if (kept) source = where(view(eq(kept, 0), [-1, 1]), -Infinity, rows);
  source = cat([source, full([1, dim], -Infinity, { device: rows.device })], 0);
  const index = bounds.flatMap(([s, e]) =>
    Array.from({ length: longest }, (_, k) => (s + k < e ? s + k : m)),
  );
  const gathered = reshape(indexSelect(source, 0, ints(index, rows.device)), [
    bounds.length,
    longest,
    dim,
  ]);
  const best = max(gathered, 1);
  return where(eq(best, -Infinity), 0, best);
}
