// DataLoader: batches of a dataset, optionally shuffled each epoch from the global seeded
// generator (dl.manualSeed makes the order reproducible). Iterate it with `for await` (it
// lets the event loop breathe between batches, so progress bars and interrupts get through)
// or with a plain `for...of`.
import type { Tensor } from "../tensor/tensor.js";
import { stepBoundary } from "../memory/lifetime.js";
import { fail } from "../tensor/errors.js";
import { permutation } from "../tensor/random.js";
import { defaultCollate } from "./collate.js";
import type { Dataset } from "./dataset.js";

/** The batch type defaultCollate makes from samples of type T. */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends Float32Array | Int32Array
        ? Tensor
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : never;

/** Options of {@link DataLoader} (PyTorch's names and defaults). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a new random order at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Builds a batch from a list of samples (default: defaultCollate). */
  collate?: (samples: T[]) => B;
}

/** How long a `for await` loop may run before it hands the event loop a turn. */
const YIELD_EVERY_MS = 20;

/**
 * Iterates over a dataset in batches, as PyTorch's `DataLoader`: samples are drawn in order (or
 * reshuffled every epoch with `shuffle`) and collated (tensors stacked along a new batch dim,
 * numbers into a tensor). `for await` yields to the event loop so a notebook stays responsive.
 *
 * @example
 * ```ts
 * const train = await dl.data.mnist({ split: "train" });
 * const loader = new dl.data.DataLoader(train, { batchSize: 64, shuffle: true });
 * for await (const [x, y] of loader) {
 *   // x: [64, 1, 28, 28] float32, y: [64] int32
 * }
 * ```
 */
export class DataLoader<T, B = Collated<T>> {
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each epoch draws a new random order. */
  readonly shuffle: boolean;
  /** Whether a last, smaller batch is dropped. */
  readonly dropLast: boolean;
  private readonly collate: ((samples: T[]) => B) | null;

  constructor(
    /** The dataset batches are drawn from. */
    readonly dataset: Dataset<T>,
    opts: DataLoaderOptions<T, B> = {},
  ) {
    const { batchSize = 1, shuffle = false, dropLast = false, collate } = opts;
    if (!dataset || typeof dataset.get !== "function" || !Number.isSafeInteger(dataset.length))
      fail("DataLoader", "expected a dataset with an integer length and get(i)");
    if (dataset.length < 0) fail("DataLoader", `dataset length ${dataset.length} is negative`);
    if (!Number.isInteger(batchSize) || batchSize < 1)
      fail("DataLoader", `batchSize must be a positive integer, got ${batchSize}`);
    if (collate !== undefined && typeof collate !== "function")
      fail("DataLoader", `collate must be a function, got ${typeof collate}`);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collate = collate ?? null;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The index lists of one epoch's batches (a fresh shuffle when shuffle is on). */
  batchIndices(): number[][] {
    return [...this.indexBatches()];
  }

  /**
   * One epoch's index lists, made as they are needed: in order, nothing of the dataset's
   * length is allocated, so a lazy dataset of 1e12 items iterates (a shuffle needs the whole
   * permutation).
   */
  *indexBatches(): Generator<number[]> {
    const n = this.dataset.length;
    const order = this.shuffle ? permutation(n) : null;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const end = Math.min(n, start + this.batchSize);
      if (order) yield order.slice(start, end);
      else yield Array.from({ length: end - start }, (_, i) => start + i);
    }
  }

  private makeBatch(indices: number[]): B {
    // A step boundary (memory/lifetime.ts): an inference loop over a loader ages its
    // tensors out as a training loop's backward() and step() do.
    stepBoundary();
    if (this.collate) return this.collate(indices.map((i) => this.dataset.get(i)));
    if (this.dataset.getBatch) return this.dataset.getBatch(indices) as unknown as B;
    return defaultCollate(indices.map((i) => this.dataset.get(i))) as B;
  }

  /** Iterates over one epoch's batches synchronously. */
  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.indexBatches()) yield this.makeBatch(indices);
  }

  /**
   * Iterates over one epoch's batches, handing the event loop a turn every few milliseconds (`for
   * await`).
   */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    let last = Date.now();
    for (const indices of this.indexBatches()) {
      if (Date.now() - last > YIELD_EVERY_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        last = Date.now();
      }
      yield this.makeBatch(indices);
    }
  }
}
