// Unflatten: splits dim `dim` into `unflattenedSize` (one entry may be -1).
import type { Tensor } from "../../tensor/tensor.js";
import { unflatten } from "../../functional/shape.js";
import { Module } from "../module.js";
import { pyTuple } from "./pyrepr.js";

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

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=${pyTuple(this.unflattenedSize)}`;
  }
}
