// AvgPool2d: the mean over each kernel window of NCHW images, PyTorch's divisor rules
// (countIncludePad, divisorOverride, ceilMode overhang not counted).
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { avgPool2d, type AvgPoolOptions } from "../functional/pooling.js";
import type { IntOrPair } from "../functional/windows.js";
import { pyIntOrTuple } from "./pyrepr.js";

export class AvgPool2d extends Module {
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(
    readonly kernelSize: IntOrPair,
    opts: AvgPoolOptions = {},
  ) {
    super();
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.ceilMode = opts.ceilMode ?? false;
    this.countIncludePad = opts.countIncludePad ?? true;
    this.divisorOverride = opts.divisorOverride ?? null;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}
