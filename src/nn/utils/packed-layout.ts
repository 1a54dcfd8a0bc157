// Where the rows of a PackedSequence sit in the padded [T, B, *] batch (sorted by length,
// longest first) and back: the index arithmetic behind packing, unpacking and the recurrent
// layers' packed path. Internal to dl.nn (the public names are in rnn.ts).
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail } from "../../tensor/errors.js";
import { full, tensor } from "../../tensor/create.js";
import { cat } from "../../ops/cat.js";
import { indexSelect } from "../../functional/indexing.js";
import { reshape } from "../../functional/shape.js";

/** An int32 index tensor. */
export const ints = (values: readonly number[], device: Device = "cpu"): Tensor =>
  tensor(Int32Array.from(values), { shape: [values.length], device });

/**
 * The values of a PackedSequence's index tensor (batchSizes, sortedIndices, unsortedIndices):
 * they live on the CPU, like PyTorch's batch_sizes, so packing never waits on a GPU.
 */
export function hostInts(op: string, t: Tensor): number[] {
  if (t.device !== "cpu" || t.ndim !== 1)
    fail(
      op,
      `a PackedSequence's index tensors must be 1-D on the CPU, got ${t.device} [${t.shape.join(", ")}]`,
    );
  return Array.from(t.dataSync());
}

/** The rows of padded [T, B, *] (sorted batch) that hold data, in packed order. */
export function paddedToData(padded: Tensor, batchSizes: readonly number[]): Tensor {
  const [steps, batch] = padded.shape;
  const rows: number[] = [];
  for (let t = 0; t < batchSizes.length; t++)
    for (let b = 0; b < batchSizes[t]; b++) rows.push(t * batch + b);
  const flat = reshape(padded, [steps * batch, ...padded.shape.slice(2)]);
  return indexSelect(flat, 0, ints(rows, padded.device));
}

/** Packed data [N, *] back to [T, B, *] (sorted batch), paddingValue where a sequence ended. */
export function dataToPadded(
  data: Tensor,
  batchSizes: readonly number[],
  paddingValue = 0,
): Tensor {
  const steps = batchSizes.length;
  const batch = batchSizes[0] ?? 0;
  const n = data.shape[0];
  const expectedRows = batchSizes.reduce((a, b) => a + b, 0);
  if (n !== expectedRows)
    fail(
      "PackedSequence",
      `data has ${n} rows but batchSizes ${JSON.stringify(batchSizes)} add up to ${expectedRows}`,
    );
  // Row n (one past the data) is the padding row every ended slot points at.
  const padRow = full([1, ...data.shape.slice(1)], paddingValue, {
    dtype: data.dtype,
    device: data.device,
  });
  const source = cat([data, padRow], 0);
  const rows: number[] = [];
  let offset = 0;
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) rows.push(b < batchSizes[t] ? offset + b : n);
    offset += batchSizes[t];
  }
  const flat = indexSelect(source, 0, ints(rows, data.device));
  return reshape(flat, [steps, batch, ...data.shape.slice(1)]);
}

/** bool [T, B, 1]: whether sequence b (sorted batch) is still running at step t. */
export function runningMask(batchSizes: readonly number[], device: Device): Tensor {
  const batch = batchSizes[0] ?? 0;
  const flags = batchSizes.flatMap((n) => Array.from({ length: batch }, (_, b) => b < n));
  return reshape(tensor(flags, { device }), [batchSizes.length, batch, 1]);
}
