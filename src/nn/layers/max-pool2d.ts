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

/** R is true when built with returnIndices: forward then returns [output, indices]. */
export type PoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

export class MaxPool2d<R extends boolean = false> extends Module {
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(
    readonly kernelSize: IntOrPair,
    opts: MaxPool2dOptions & { returnIndices?: R } = {},
  ) {
    super();
    this.stride = opts.stride ?? kernelSize;
    this.padding = opts.padding ?? 0;
    this.dilation = opts.dilation ?? 1;
    this.ceilMode = opts.ceilMode ?? false;
    this.returnIndices = opts.returnIndices ?? false;
  }

  forward(x: Tensor): PoolResult<R> {
    const opts = {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    };
    return (
      this.returnIndices
        ? maxPool2d(x, this.kernelSize, { ...opts, returnIndices: true })
        : maxPool2d(x, this.kernelSize, opts)
    ) as PoolResult<R>;
  }

  override extraRepr(): string {
    return (
      `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, ` +
      `padding=${pyIntOrTuple(this.padding)}, dilation=${pyIntOrTuple(this.dilation)}, ` +
      `ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}
