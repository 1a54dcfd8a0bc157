// Experience replay (Lin 1992; Mnih et al. 2015): a ring buffer of transitions, oldest
// overwritten first, sampled uniformly without replacement into batched tensors. Values are
// kept in preallocated typed arrays, so pushing allocates nothing and holds no tensors.
import { fromArray } from "../tensor/create.js";
import { fail } from "../tensor/errors.js";
import { nextUint32 } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";

/**
 * One transition. A number (an observation or action) is taken as a discrete index and batched
 * as int32; an array (a Float32Array or number[]) is batched as float32 rows. Pass continuous
 * scalars as one-element arrays. Every push must have the same kinds and lengths as the first.
 */
export interface Experience {
  /** The observation before the action. */
  observation: number | ArrayLike<number>;
  /** The action taken. */
  action: number | ArrayLike<number>;
  /** The reward received. */
  reward: number;
  /** The observation after the action. */
  nextObservation: number | ArrayLike<number>;
  /** True when the episode reached a terminal state (not merely truncated). */
  terminated: boolean;
}

/** Batched transitions: [B] int32 for discrete fields, [B, n] float32 for arrays. */
export interface ExperienceBatch {
  /** Observations: [B] int32 or [B, n] float32. */
  observation: Tensor;
  /** Actions: [B] int32 or [B, n] float32. */
  action: Tensor;
  /** [B] float32. */
  reward: Tensor;
  /** Next observations, as `observation`. */
  nextObservation: Tensor;
  /** [B] float32, 1 where terminated: targets read `reward + gamma * (1 - terminated) * next`. */
  terminated: Tensor;
}

type Field = "observation" | "action" | "nextObservation";

/** One field's storage; its kind and width are fixed by the first value pushed. */
class Column {
  private data: Int32Array | Float32Array | null = null;
  private width = 0;

  constructor(
    private readonly field: Field,
    private readonly capacity: number,
  ) {}

  write(slot: number, value: number | ArrayLike<number>): void {
    const op = "ReplayBuffer.push";
    if (this.data === null) this.allocate(value);
    if (typeof value === "number") {
      if (!(this.data instanceof Int32Array))
        fail(
          op,
          `${this.field} is the number ${value}, but earlier pushes stored arrays of ${this.width}`,
        );
      if (!Number.isInteger(value))
        fail(
          op,
          `${this.field} ${value} is not an integer: numbers are stored as discrete indices; ` +
            `pass continuous values as arrays ([${value}])`,
        );
      this.data[slot] = value;
      return;
    }
    if (!(this.data instanceof Float32Array) || value.length !== this.width)
      fail(
        op,
        `${this.field} has ${value.length} values, but earlier pushes stored ` +
          (this.data instanceof Float32Array ? `arrays of ${this.width}` : "integers (discrete)"),
      );
    this.data.set(value, slot * this.width);
  }

  private allocate(value: number | ArrayLike<number>): void {
    if (typeof value === "number") {
      this.data = new Int32Array(this.capacity);
      this.width = 1;
    } else {
      if (value === null || typeof value !== "object" || typeof value.length !== "number")
        fail(
          "ReplayBuffer.push",
          `${this.field} must be a number or an array, got ${String(value)}`,
        );
      this.width = value.length;
      this.data = new Float32Array(this.capacity * this.width);
    }
  }

  gather(slots: readonly number[]): Tensor {
    const src = this.data!;
    const w = this.width;
    if (src instanceof Int32Array)
      return fromArray(
        Int32Array.from(slots, (s) => src[s]),
        [slots.length],
      );
    const out = new Float32Array(slots.length * w);
    slots.forEach((s, i) => out.set(src.subarray(s * w, s * w + w), i * w));
    return fromArray(out, [slots.length, w]);
  }
}

/**
 * A fixed-size ring of transitions for off-policy learning (DQN): `push` experiences,
 * `sample(batchSize)` a uniform batch as tensors.
 */
export class ReplayBuffer {
  private readonly columns: Record<Field, Column>;
  private readonly rewards: Float32Array;
  private readonly dones: Float32Array;
  private next = 0;
  private stored = 0;

  /** @param capacity - The most transitions kept; the oldest are overwritten. */
  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      fail("ReplayBuffer", `capacity must be a positive integer, got ${capacity}`);
    this.columns = {
      observation: new Column("observation", capacity),
      action: new Column("action", capacity),
      nextObservation: new Column("nextObservation", capacity),
    };
    this.rewards = new Float32Array(capacity);
    this.dones = new Float32Array(capacity);
  }

  /** Transitions stored (at most `capacity`). */
  get length(): number {
    return this.stored;
  }

  /** Stores a transition, overwriting the oldest once the buffer is full. */
  push(e: Experience): void {
    if (!Number.isFinite(e.reward))
      fail("ReplayBuffer.push", `reward must be a finite number, got ${e.reward}`);
    if (typeof e.terminated !== "boolean")
      fail("ReplayBuffer.push", `terminated must be a boolean, got ${String(e.terminated)}`);
    const slot = this.next;
    for (const f of ["observation", "action", "nextObservation"] as const)
      this.columns[f].write(slot, e[f]);
    this.rewards[slot] = e.reward;
    this.dones[slot] = e.terminated ? 1 : 0;
    this.next = (slot + 1) % this.capacity;
    this.stored = Math.min(this.stored + 1, this.capacity);
  }

  /**
   * `batchSize` distinct stored transitions drawn uniformly with the library's generator
   * (`dl.manualSeed`), as tensors on the default device.
   */
  sample(batchSize: number): ExperienceBatch {
    if (!(Number.isInteger(batchSize) && batchSize > 0))
      fail("ReplayBuffer.sample", `batchSize must be a positive integer, got ${batchSize}`);
    if (batchSize > this.stored)
      fail(
        "ReplayBuffer.sample",
        `asked for ${batchSize} transitions but only ${this.stored} are stored ` +
          `(capacity ${this.capacity}); push more before sampling`,
      );
    const slots = distinctIndices(this.stored, batchSize);
    return {
      observation: this.columns.observation.gather(slots),
      action: this.columns.action.gather(slots),
      reward: fromArray(
        Float32Array.from(slots, (s) => this.rewards[s]),
        [batchSize],
      ),
      nextObservation: this.columns.nextObservation.gather(slots),
      terminated: fromArray(
        Float32Array.from(slots, (s) => this.dones[s]),
        [batchSize],
      ),
    };
  }

  /** Forgets every transition (storage is kept). */
  clear(): void {
    this.next = 0;
    this.stored = 0;
  }

  /** Size and capacity. */
  toString(): string {
    return `ReplayBuffer(length=${this.stored}, capacity=${this.capacity})`;
  }
}

/** A uniform integer in [0, n) from 53 random bits (bias below 2^-20 for any buffer size). */
function integerBelow(n: number): number {
  const u = ((nextUint32() >>> 5) * 67108864 + (nextUint32() >>> 6)) / 9007199254740992;
  return Math.floor(u * n);
}

/**
 * k distinct integers from [0, n) in uniformly random order: Floyd's algorithm picks the set in
 * O(k) whatever n is; a Fisher–Yates pass then removes the order Floyd's insertion leaves.
 */
function distinctIndices(n: number, k: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = integerBelow(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  const out = [...chosen];
  for (let i = out.length - 1; i > 0; i--) {
    const r = integerBelow(i + 1);
    [out[i], out[r]] = [out[r], out[i]];
  }
  return out;
}
