// MaxPool2d: the maximum over each kernel window of NCHW images (stride defaults to the
// kernel size; padding counts as -∞).
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { maxPool2d } from "../functional/pooling.js";
import type { IntOrPair } from "../functional/windows.js";
import { pyBool, pyIntOrTuple } from "./pyrepr.js";

export interface MaxPool2dOptions {
  stride?: IntOrPair | null;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  ceilMode?: boolean;
  /** forward returns [output, indices] (flat h·W + w input positions, int32). */
  returnIndices?: boolean;
}

export class MaxPool2d extends Module {
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(
    readonly kernelSize: IntOrPair,
    opts: MaxPool2dOptions = {},
  ) {
    super();
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = opts.returnIndices ?? false;
  }

  forward(x: Tensor): Tensor | [Tensor, Tensor] {
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return this.returnIndices
      ? maxPool2d(x, this.kernelSize, { ...opts, returnIndices: true })
      : maxPool2d(x, this.kernelSize, opts);
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, ` +
      `padding=${pyIntOrTuple(this.padding)}, dilation=${pyIntOrTuple(this.dilation)}, ` +
      `ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}
