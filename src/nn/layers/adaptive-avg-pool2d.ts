// AdaptiveAvgPool2d: averages NCHW images down to a fixed output size, whatever the input
// size (null keeps an axis as it is).
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { adaptiveAvgPool2d, type AdaptiveSize } from "../functional/adaptive-pooling.js";
import { pyIntOrTuple } from "./pyrepr.js";

export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${pyIntOrTuple(this.outputSize)}`;
  }
}
