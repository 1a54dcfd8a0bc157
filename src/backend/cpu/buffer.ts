// CPU buffers are plain typed arrays.
import type { BackendBuffer, TensorView } from "../backend.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { takeArray } from "./pool.js";
import { layoutOf } from "../../tensor/layouts.js";

export class CpuBuffer implements BackendBuffer {
  readonly device = "cpu" as const;
  constructor(
    readonly dtype: DType,
    readonly data: TypedArray,
  ) {}
  get length(): number {
    return this.data.length;
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
