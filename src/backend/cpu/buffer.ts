// CPU buffers are plain typed arrays, or an elementwise chain deferred until its first read.
import type { BackendBuffer, TensorView } from "../backend.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { takeArray } from "./pool.js";
import { layoutOf } from "../../tensor/layouts.js";

/** A computation that fills a buffer when something first reads it (native/chains.ts). */
export interface Deferred {
  /** Computes the values into a fresh array, once. */
  run(): TypedArray;
  /** Forgets the computation: its buffer was disposed unread. */
  drop(): void;
}

export class CpuBuffer implements BackendBuffer {
  readonly device = "cpu" as const;
  /** Elements, known before a deferred buffer has its array. */
  readonly length: number;
  /** Deferred chains that read this array: it must not be reused while one may still run. */
  readers = 0;
  private array: TypedArray | null;

  constructor(
    readonly dtype: DType,
    data: TypedArray | null,
    /** What computes the values when they are first read (data null until then). */
    public pending: Deferred | null = null,
    length = data?.length ?? 0,
  ) {
    this.array = data;
    this.length = length;
  }

  /** The values; reading a deferred buffer runs its computation first. */
  get data(): TypedArray {
    return this.array ?? this.materialize();
  }

  private materialize(): TypedArray {
    const pending = this.pending;
    // Only a disposed storage loses its computation, and every read checks for dispose first.
    if (!pending) throw new Error("cpu: read of a deferred buffer that was disposed unread");
    this.pending = null;
    return (this.array = pending.run());
  }
}

export function arrayOf(view: TensorView): TypedArray {
  return (view.buffer as CpuBuffer).data;
}

/**
 * A fresh contiguous output view of the given shape and dtype, zero-filled unless the kernel
 * says it writes every element (`zero` false), in which case a pooled array skips the fill.
 */
export function newOutput(
  dtype: DType,
  shape: readonly number[],
  size: number,
  zero = true,
): TensorView {
  // The shared frozen shape and strides (tensor/layouts.ts): no arrays made per output.
  const layout = layoutOf(shape);
  return {
    buffer: new CpuBuffer(dtype, takeArray(dtype, size, zero)),
    dtype,
    shape: layout.shape,
    strides: layout.strides,
    offset: 0,
  };
}
