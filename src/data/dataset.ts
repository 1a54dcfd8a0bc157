// Datasets: anything with a length and an indexed get, as torch.utils.data.Dataset.
// TensorDataset and Subset also answer getBatch, so the DataLoader can fetch a whole batch
// with one indexSelect per tensor instead of stacking batchSize single rows.
import { fromArray, tensor as makeTensor } from "../tensor/create.js";
import { allocArray } from "../tensor/dtype.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";
import { indexSelect, select } from "../functional/index.js";
import { type Description, describedBy, formatDescription } from "./describe.js";

/** A map-style dataset, as PyTorch's `Dataset`: `length` samples read by index with `get(i)`. */
export abstract class Dataset<T = unknown> {
  /** Number of samples. */
  abstract get length(): number;
  /** The sample at `index` (0 ≤ index < length). */
  abstract get(index: number): T;

  /**
   * A whole batch, already collated (optional). The DataLoader uses it when present and no
   * custom collate was given; it must equal defaultCollate(indices.map(i => this.get(i))).
   */
  getBatch?(indices: readonly number[]): T;

  /** Iterates over the samples in order. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /** The lines String(dataset) prints under the class name (subclasses add their parts). */
  describe(): Description {
    return [["Number of datapoints", this.length]];
  }
}
// String(dataset), console.log and the notebook show the description, not every field.
Object.defineProperties(
  Dataset.prototype,
  describedBy((self) => formatDescription(self.constructor.name, (self as Dataset).describe())),
);

export function checkIndex(op: string, index: number, length: number): number {
  if (!Number.isInteger(index) || index < -length || index >= length)
    fail(op, `index ${index} is out of range for a dataset of length ${length}`);
  return index < 0 ? index + length : index;
}

/** Rows of several tensors that share their first dimension: get(i) = [t0[i], t1[i], ...]. */
export class TensorDataset extends Dataset<Tensor[]> {
  /** The tensors, all with the same first dim. */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    super();
    if (tensors.length === 0) fail("TensorDataset", "expected at least one tensor");
    for (const t of tensors)
      if (!(t instanceof Tensor) || t.ndim === 0 || t.shape[0] !== tensors[0].shape[0])
        fail(
          "TensorDataset",
          `all tensors need the same first dimension, got shapes ` +
            tensors.map((x) => (x instanceof Tensor ? fmtShape(x.shape) : typeof x)).join(", "),
        );
    this.tensors = tensors;
  }

  /** Number of samples: the tensors' first dim. */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  override describe(): Description {
    return [...super.describe(), ...this.tensors.map((t, i) => [`tensors[${i}]`, t] as const)];
  }

  /** Row `index` of every tensor. */
  get(index: number): Tensor[] {
    const i = checkIndex("TensorDataset.get", index, this.length);
    return this.tensors.map((t) => select(t, 0, i));
  }

  override getBatch(indices: readonly number[]): Tensor[] {
    const n = this.length;
    const rows = indices.map((i) => checkIndex("TensorDataset.getBatch", i, n));
    // one int32 index per device the tensors live on, freed once the batch is gathered
    const byDevice = new Map<string, Tensor>();
    const indexOn = (t: Tensor): Tensor => {
      let idx = byDevice.get(t.device);
      if (!idx) {
        idx = makeTensor(rows, { dtype: "int32", device: t.device, shape: [rows.length] });
        byDevice.set(t.device, idx);
      }
      return idx;
    };
    try {
      return this.tensors.map((t) => copyRows(t, rows) ?? indexSelect(t, 0, indexOn(t)));
    } finally {
      for (const idx of byDevice.values()) idx.dispose();
    }
  }
}

/**
 * Rows of a contiguous tensor on a host-readable backend (the CPU), copied as whole rows:
 * an order of magnitude faster than the general gather. Null where that does not apply
 * (GPU tensors, strided views, tensors that need a graph).
 */
function copyRows(t: Tensor, rows: readonly number[]): Tensor | null {
  const backend = t.backend;
  if (!backend.readSync || !t.isContiguous || t.requiresGrad) return null;
  const rowShape = t.shape.slice(1);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const out = allocArray(t.dtype, rows.length * rowSize);
  const buffer = t.storage.buffer;
  rows.forEach((r, k) =>
    out.set(backend.readSync!(buffer, t.offset + r * rowSize, rowSize), k * rowSize),
  );
  return fromArray(out, [rows.length, ...rowShape], t.device);
}

/** A view of some items of another dataset, in the given order (torch's Subset). */
export class Subset<T> extends Dataset<T> {
  constructor(
    /** The dataset the samples come from. */
    readonly dataset: Dataset<T>,
    /** Indices into it, in order. */
    readonly indices: readonly number[],
  ) {
    super();
    for (const i of indices) checkIndex("Subset", i, dataset.length);
    const inner = dataset.getBatch?.bind(dataset);
    if (inner)
      this.getBatch = (batch) =>
        inner(batch.map((i) => this.indices[checkIndex("Subset.getBatch", i, this.length)]));
  }

  /** Number of indices. */
  get length(): number {
    return this.indices.length;
  }

  /** The parent's sample at `indices[index]`. */
  get(index: number): T {
    return this.dataset.get(this.indices[checkIndex("Subset.get", index, this.length)]);
  }

  override describe(): Description {
    return [...super.describe(), ["of", this.dataset.toString().split("\n").join("\n    ")]];
  }
}
