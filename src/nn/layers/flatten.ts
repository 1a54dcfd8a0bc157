// Flatten and Unflatten: reshape layers between convolutional and dense parts of a model.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { flatten, unflatten } from "../../functional/shape.js";
import { Module } from "../module.js";

// Flatten: merges dims startDim..endDim (by default everything but the batch dim).
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
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

// Unflatten: splits dim `dim` into `unflattenedSize` (one entry may be -1).
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
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
