// Flatten and Unflatten: reshape layers between convolutional and dense parts of a model.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { flatten, unflatten } from "../../functional/shape.js";
import { Module } from "../module.js";

/**
 * Flatten: merges dims startDim..endDim (by default everything but the batch dim).
 */
export class Flatten extends Module {
  constructor(
    /** First dim flattened (default 1, keeping the batch dim). */
    readonly startDim = 1,
    /** Last dim flattened (default -1). */
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override attrs(): Attr[] {
    return [attr.int("start_dim", this.startDim), attr.int("end_dim", this.endDim)];
  }
}

/**
 * Unflatten: splits dim `dim` into `unflattenedSize` (one entry may be -1).
 */
export class Unflatten extends Module {
  constructor(
    /** The dim that is split. */
    readonly dim: number,
    /** The sizes it is split into (one may be -1). */
    readonly unflattenedSize: readonly number[],
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.unflattenedSize);
  }

  override attrs(): Attr[] {
    return [attr.int("dim", this.dim), attr.tuple("unflattened_size", this.unflattenedSize)];
  }
}
