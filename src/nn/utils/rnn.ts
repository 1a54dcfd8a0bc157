// Variable-length sequences as in torch.nn.utils.rnn: padSequence, packPaddedSequence,
// padPackedSequence, packSequence and the PackedSequence they pass around, which RNN, LSTM
// and GRU accept. A PackedSequence is a plain object (PyTorch's is a namedtuple), so tidy()
// keeps every tensor in it when it is returned from a scope.
//
// Layout (PyTorch's): the batch sorted by length, longest first; `data` holds time step 0 of
// every sequence, then step 1 of every sequence still running, …; `batchSizes[t]` counts the
// sequences running at step t.
import { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { indexSelect, pad } from "../../functional/indexing.js";
import { stack, transpose } from "../../functional/shape.js";
import { dataToPadded, hostInts, ints, paddedToData } from "./packed-layout.js";

/**
 * Sequences of different lengths packed time-major (PyTorch's `PackedSequence`), from {@link
 * packPaddedSequence}; RNN, LSTM and GRU take it.
 */
export interface PackedSequence {
  /** `[sum of lengths, *]`: the steps of all sequences, time-major over the sorted batch. */
  readonly data: Tensor;
  /** int32 [T] on the CPU: how many sequences are running at each step. */
  readonly batchSizes: Tensor;
  /** int32 [B] on the CPU: sorted position → original index (null when the input was sorted). */
  readonly sortedIndices: Tensor | null;
  /** int32 [B] on the CPU: original index → sorted position (null when the input was sorted). */
  readonly unsortedIndices: Tensor | null;
}

/** Whether `x` is a PackedSequence. */
export function isPackedSequence(x: unknown): x is PackedSequence {
  const p = x as PackedSequence | null;
  return (
    typeof p === "object" &&
    p !== null &&
    p.data instanceof Tensor &&
    p.batchSizes instanceof Tensor
  );
}

/** Lengths as numbers: a number[] or a 1-D CPU tensor, every one ≥ 1. */
function readLengths(op: string, lengths: readonly number[] | Tensor, batch: number): number[] {
  let values: number[];
  if (lengths instanceof Tensor) {
    if (lengths.device !== "cpu" || lengths.ndim !== 1)
      fail(
        op,
        `lengths must be a 1-D CPU tensor or a number[], got ${lengths.device} ${fmtShape(lengths.shape)}`,
      );
    values = Array.from(lengths.dataSync());
  } else values = [...lengths];
  if (values.length !== batch)
    fail(op, `expected ${batch} lengths (one per sequence in the batch), got ${values.length}`);
  for (const v of values)
    if (!Number.isInteger(v) || v < 1)
      fail(op, `every length must be an integer >= 1, got ${JSON.stringify(values)}`);
  return values;
}

/** batchSizes[t] = how many of the (sorted) lengths exceed t. */
function batchSizesOf(sortedLengths: readonly number[]): number[] {
  const steps = sortedLengths[0] ?? 0;
  return Array.from({ length: steps }, (_, t) => sortedLengths.filter((l) => l > t).length);
}

/**
 * Stacks sequences [L_i, *] into [T, B, *] (batchFirst: [B, T, *]), T the longest length,
 * the tail of shorter ones filled with paddingValue.
 */
export function padSequence(
  sequences: readonly Tensor[],
  opts: { batchFirst?: boolean; paddingValue?: number } = {},
): Tensor {
  const op = "padSequence";
  if (!Array.isArray(sequences) || sequences.length === 0)
    fail(op, "expected a non-empty array of tensors [L_i, *]");
  const trailing = (t: Tensor) => fmtShape(t.shape.slice(1));
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor) || s.ndim < 1)
      fail(op, `sequence ${i} must be a tensor with at least 1 dim`);
    if (trailing(s) !== trailing(sequences[0]))
      fail(
        op,
        `sequences must agree after dim 0: sequence 0 is ${fmtShape(sequences[0].shape)}, sequence ${i} is ${fmtShape(s.shape)}`,
      );
  });
  const longest = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) =>
    pad(
      s,
      [...new Array<number>(2 * (s.ndim - 1)).fill(0), 0, longest - s.shape[0]],
      opts.paddingValue ?? 0,
    ),
  );
  return stack(padded, opts.batchFirst ? 0 : 1);
}

/**
 * Packs a padded batch [T, B, *] (batchFirst: [B, T, *]) holding sequences of the given
 * lengths. enforceSorted (default true) requires lengths in decreasing order, as PyTorch;
 * with false the batch is sorted here and the order recorded to be undone on unpacking.
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: readonly number[] | Tensor,
  opts: { batchFirst?: boolean; enforceSorted?: boolean } = {},
): PackedSequence {
  const op = "packPaddedSequence";
  if (!(input instanceof Tensor) || input.ndim < 2)
    fail(
      op,
      `expected a padded batch [T, B, *]${opts.batchFirst ? " ([B, T, *] with batchFirst)" : ""}, got ${input instanceof Tensor ? fmtShape(input.shape) : typeof input}`,
    );
  const x = opts.batchFirst ? transpose(input, 0, 1) : input;
  const lens = readLengths(op, lengths, x.shape[1]);
  if (Math.max(...lens) > x.shape[0])
    fail(
      op,
      `a length of ${Math.max(...lens)} exceeds the ${x.shape[0]} steps of the input ${fmtShape(input.shape)}`,
    );
  const order = lens.map((_, i) => i).sort((a, b) => lens[b] - lens[a]); // stable
  const sorted = order.every((v, i) => v === i);
  if (opts.enforceSorted !== false && !lens.every((l, i) => i === 0 || lens[i - 1] >= l))
    fail(
      op,
      `lengths must be sorted in decreasing order when enforceSorted is true (got ${JSON.stringify(lens)}); pass enforceSorted: false to sort them here`,
    );
  const batchSizes = batchSizesOf(order.map((i) => lens[i]));
  const inSortedOrder = sorted ? x : indexSelect(x, 1, ints(order, x.device));
  const unsorted = new Array<number>(order.length);
  order.forEach((orig, pos) => (unsorted[orig] = pos));
  return {
    data: paddedToData(inSortedOrder, batchSizes),
    batchSizes: ints(batchSizes),
    sortedIndices: opts.enforceSorted === false ? ints(order) : null,
    unsortedIndices: opts.enforceSorted === false ? ints(unsorted) : null,
  };
}

/** Packs sequences [L_i, *] given in any order (enforceSorted true requires decreasing lengths). */
export function packSequence(
  sequences: readonly Tensor[],
  opts: { enforceSorted?: boolean } = {},
): PackedSequence {
  const padded = padSequence(sequences);
  const lengths = sequences.map((s) => s.shape[0]);
  return packPaddedSequence(padded, lengths, { enforceSorted: opts.enforceSorted });
}

/**
 * Undoes packing: returns [padded [T, B, *] (batchFirst: [B, T, *]) in the original batch
 * order, lengths as an int32 CPU tensor]. totalLength pads to that many steps (at least T).
 */
export function padPackedSequence(
  sequence: PackedSequence,
  opts: { batchFirst?: boolean; paddingValue?: number; totalLength?: number } = {},
): [Tensor, Tensor] {
  const op = "padPackedSequence";
  if (!isPackedSequence(sequence)) fail(op, "expected a PackedSequence (from packPaddedSequence)");
  const batchSizes = hostInts(op, sequence.batchSizes);
  const steps = batchSizes.length;
  const total = opts.totalLength ?? steps;
  if (!Number.isInteger(total) || total < steps)
    fail(op, `totalLength must be an integer >= the longest length ${steps}, got ${total}`);
  let padded = dataToPadded(sequence.data, batchSizes, opts.paddingValue ?? 0);
  if (total > steps) {
    const fill = new Array<number>(2 * (padded.ndim - 1)).fill(0);
    padded = pad(padded, [...fill, 0, total - steps], opts.paddingValue ?? 0);
  }
  const sortedLengths = Array.from(
    { length: batchSizes[0] ?? 0 },
    (_, b) => batchSizes.filter((n) => n > b).length,
  );
  let lengths = sortedLengths;
  if (sequence.unsortedIndices) {
    const back = hostInts(op, sequence.unsortedIndices);
    padded = indexSelect(padded, 1, ints(back, padded.device));
    lengths = back.map((pos) => sortedLengths[pos]);
  }
  return [opts.batchFirst ? transpose(padded, 0, 1) : padded, ints(lengths)];
}
