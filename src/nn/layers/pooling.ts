// Pooling layers: MaxPool1d/2d over kernel windows, AvgPool2d, AdaptiveAvgPool2d.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";
import type { IntOrPair } from "../functional/windows.js";
import { maxPool1d, maxPool2d, avgPool2d, type AvgPoolOptions } from "../functional/pooling.js";
import { adaptiveAvgPool2d, type AdaptiveSize } from "../functional/adaptive-pooling.js";

// The shared part of MaxPool1d and MaxPool2d (PyTorch's _MaxPoolNd): the window options with
// their defaults (stride = kernel size), forwarding to the functional form, and the repr.
// K is a plain number for 1-D pooling and an int-or-pair for 2-D.
/** R is true when built with returnIndices: forward then returns [output, indices]. */
export type PoolResult<R extends boolean> = R extends true ? [Tensor, Tensor] : Tensor;

export interface MaxPoolLayerOptions<K> {
  stride?: K | null;
  padding?: K;
  dilation?: K;
  ceilMode?: boolean;
  /**
   * forward returns [output, indices]: the int32 input position of each maximum (along L in
   * 1-D, flat h·W + w in 2-D).
   */
  returnIndices?: boolean;
}

interface PoolOptions<K> {
  stride: K;
  padding: K;
  dilation: K;
  ceilMode: boolean;
}

/** The functional form (F.maxPool1d or F.maxPool2d), with and without indices. */
export interface MaxPoolFn<K> {
  (x: Tensor, kernelSize: K, opts: PoolOptions<K> & { returnIndices?: false }): Tensor;
  (x: Tensor, kernelSize: K, opts: PoolOptions<K> & { returnIndices: true }): [Tensor, Tensor];
}

export abstract class MaxPoolNd<K extends IntOrPair, R extends boolean> extends Module {
  /** Step of the window (defaults to the kernel size). */
  readonly stride: K;
  /** Implicit −∞ padding on both sides. */
  readonly padding: K;
  /** Spacing between window taps. */
  readonly dilation: K;
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether forward also returns the indices of the maxima. */
  readonly returnIndices: boolean;

  protected constructor(
    /** The window size. */
    readonly kernelSize: K,
    opts: MaxPoolLayerOptions<K>,
    private readonly pool: MaxPoolFn<K>,
  ) {
    super();
    this.stride = opts.stride ?? kernelSize;
    // A plain 0 and 1 are valid for every K (a number is an int-or-pair).
    this.padding = opts.padding ?? (0 as K);
    this.dilation = opts.dilation ?? (1 as K);
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
        ? this.pool(x, this.kernelSize, { ...opts, returnIndices: true })
        : this.pool(x, this.kernelSize, opts)
    ) as PoolResult<R>;
  }

  override attrs(): Attr[] {
    return [
      attr.intOrTuple("kernel_size", this.kernelSize),
      attr.intOrTuple("stride", this.stride),
      attr.intOrTuple("padding", this.padding),
      attr.intOrTuple("dilation", this.dilation),
      attr.bool("ceil_mode", this.ceilMode),
    ];
  }
}

// MaxPool1d: the maximum over each kernel window of [N, C, L] sequences.
/** Options of {@link MaxPool1d}. */
export type MaxPool1dLayerOptions = MaxPoolLayerOptions<number>;

/**
 * 1-D max pooling over `[N, C, L]` (or `[C, L]`), as `nn.MaxPool1d`; with `returnIndices` forward
 * returns `[values, indices]`.
 */
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<number, R> {
  constructor(kernelSize: number, opts: MaxPool1dLayerOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts, maxPool1d);
  }
}

// MaxPool2d: the maximum over each kernel window of NCHW images (stride defaults to the
// kernel size; padding counts as -∞).
/** Options of {@link MaxPool2d}. */
export type MaxPool2dLayerOptions = MaxPoolLayerOptions<IntOrPair>;

/**
 * 2-D max pooling over `[N, C, H, W]` (or `[C, H, W]`), as `nn.MaxPool2d`; with `returnIndices`
 * forward returns `[values, indices]`.
 */
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<IntOrPair, R> {
  constructor(kernelSize: IntOrPair, opts: MaxPool2dLayerOptions & { returnIndices?: R } = {}) {
    super(kernelSize, opts, maxPool2d);
  }
}

/**
 * AvgPool2d: the mean over each kernel window of NCHW images, PyTorch's divisor rules
 * (countIncludePad, divisorOverride, ceilMode overhang not counted).
 */
export class AvgPool2d extends Module {
  /** Step of the window (defaults to the kernel size). */
  readonly stride: IntOrPair;
  /** Implicit zero padding on both sides. */
  readonly padding: IntOrPair;
  /** Whether the output size rounds up. */
  readonly ceilMode: boolean;
  /** Whether padding zeros count in the average. */
  readonly countIncludePad: boolean;
  /** Divide by this instead of the window size, or null. */
  readonly divisorOverride: number | null;

  constructor(
    /** The window size. */
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

  override attrs(): Attr[] {
    return [
      attr.intOrTuple("kernel_size", this.kernelSize),
      attr.intOrTuple("stride", this.stride),
      attr.intOrTuple("padding", this.padding),
    ];
  }
}

/**
 * AdaptiveAvgPool2d: averages NCHW images down to a fixed output size, whatever the input
 * size (null keeps an axis as it is).
 */
export class AdaptiveAvgPool2d extends Module {
  /** @param outputSize - The output's (H, W), or one size for both; null keeps that axis. */
  constructor(readonly outputSize: AdaptiveSize) {
    super();
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override attrs(): Attr[] {
    return [attr.intOrTuple("output_size", this.outputSize)];
  }
}
