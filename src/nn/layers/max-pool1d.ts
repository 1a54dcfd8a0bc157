// MaxPool1d: the maximum over each kernel window of [N, C, L] sequences.
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import { maxPool1d } from "../functional/pooling.js";
import { pyBool } from "./pyrepr.js";
import type { PoolResult } from "./max-pool2d.js";

export interface MaxPool1dLayerOptions {
  stride?: number | null;
  padding?: number;
  dilation?: number;
  ceilMode?: boolean;
  /** forward returns [output, indices] (positions along L, int32). */
  returnIndices?: boolean;
}

export class MaxPool1d<R extends boolean = false> extends Module {
  readonly stride: number;
  readonly padding: number;
  readonly dilation: number;
  readonly ceilMode: boolean;
  readonly returnIndices: boolean;

  constructor(
    readonly kernelSize: number,
    opts: MaxPool1dLayerOptions & { returnIndices?: R } = {},
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
        ? maxPool1d(x, this.kernelSize, { ...opts, returnIndices: true })
        : maxPool1d(x, this.kernelSize, opts)
    ) as PoolResult<R>;
  }

  override extraRepr(): string {
    return (
      `kernel_size=${this.kernelSize}, stride=${this.stride}, padding=${this.padding}, ` +
      `dilation=${this.dilation}, ceil_mode=${pyBool(this.ceilMode)}`
    );
  }
}
