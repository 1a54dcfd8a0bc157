// Batch normalisation layers: BatchNorm1d/2d with running statistics (PyTorch's _BatchNorm).
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { fromArray } from "../../tensor/create.js";
import { noGrad } from "../../autograd/mode.js";
import { add, div } from "../../ops/arithmetic.js";
import { empty, ones_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Buffer, Parameter } from "../parameter.js";
import { batchNorm } from "../functional/normalization.js";

// The shared part of BatchNorm1d and BatchNorm2d (PyTorch's _BatchNorm). The buffers keep
// PyTorch's snake_case names (running_mean, running_var, num_batches_tracked) because the
// module walk turns field names into state-dict keys, and those keys must match PyTorch's
// for weights to interchange; camelCase getters give the rest of the API its usual spelling.
/** Options of {@link BatchNorm1d} / {@link BatchNorm2d} (PyTorch's names and defaults). */
export interface BatchNormLayerOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running statistics; null for a cumulative average. */
  momentum?: number | null;
  /** Learnable per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true). */
  trackRunningStats?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/**
 * The base of the batch norms: per-channel normalisation by batch statistics while training, by
 * running statistics in eval mode (PyTorch's `_BatchNorm`).
 */
export abstract class BatchNormBase extends Module {
  /** Per-channel scale γ `[C]` (ones), or null without affine. */
  weight: Parameter | null;
  /** Per-channel shift β `[C]` (zeros), or null without affine. */
  bias: Parameter | null;
  /** Running mean `[C]` used in eval mode (state dict key `running_mean`), or null. */
  running_mean: Buffer | null;
  /** Running (unbiased) variance `[C]` used in eval mode, or null. */
  running_var: Buffer | null;
  /** Batches seen while training (int32 scalar), or null. */
  num_batches_tracked: Buffer | null;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Weight of each new batch in the running statistics; null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether γ and β are learned. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;

  constructor(
    /** Number of channels C. */
    readonly numFeatures: number,
    opts: BatchNormLayerOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1)
      fail(this.constructor.name, `numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum === undefined ? 0.1 : opts.momentum;
    this.affine = opts.affine ?? true;
    this.trackRunningStats = opts.trackRunningStats ?? true;
    const device = opts.device;
    this.weight = this.affine ? new Parameter(empty([numFeatures], device)) : null;
    this.bias = this.affine ? new Parameter(empty([numFeatures], device)) : null;
    const track = this.trackRunningStats;
    this.running_mean = track ? new Buffer(empty([numFeatures], device)) : null;
    this.running_var = track ? new Buffer(empty([numFeatures], device)) : null;
    this.num_batches_tracked = track ? new Buffer(fromArray(new Int32Array(1), [], device)) : null;
    this.resetParameters();
  }

  /** The running mean (camelCase alias of `running_mean`). */
  get runningMean(): Buffer | null {
    return this.running_mean;
  }
  /** The running variance (camelCase alias of `running_var`). */
  get runningVar(): Buffer | null {
    return this.running_var;
  }
  /** Batches seen (camelCase alias of `num_batches_tracked`). */
  get numBatchesTracked(): Buffer | null {
    return this.num_batches_tracked;
  }

  /** Running mean 0, running variance 1, no batches seen. */
  resetRunningStats(): void {
    if (!this.running_mean || !this.running_var || !this.num_batches_tracked) return;
    zeros_(this.running_mean);
    ones_(this.running_var);
    const device = this.num_batches_tracked.device;
    noGrad(() => this.num_batches_tracked!._assign(fromArray(new Int32Array(1), [], device)));
  }

  /** Resets the running statistics and sets γ to ones and β to zeros. */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  /** The input ranks this layer accepts, checked before every forward. */
  protected abstract checkInput(x: Tensor): void;

  protected rankError(x: Tensor, expected: string): never {
    return fail(this.constructor.name, `expected ${expected} input, got ${fmtShape(x.shape)}`);
  }

  /**
   * Counts the batch (on the device, no read back) and returns the averaging factor: the
   * momentum, or 1/count for a cumulative average when momentum is null.
   */
  private averagingFactor(counter: Buffer): number | Tensor {
    noGrad(() => counter._assign(add(counter, 1)));
    return this.momentum ?? noGrad(() => div(1, counter));
  }

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures)
      fail(
        this.constructor.name,
        `input ${fmtShape(x.shape)} has ${x.shape[1]} channels, expected ${this.numFeatures}`,
      );
    const counter = this.num_batches_tracked;
    // Without running statistics, batch statistics are used in eval mode too (PyTorch).
    return batchNorm(x, this.running_mean, this.running_var, {
      weight: this.weight,
      bias: this.bias,
      training: this.training || !counter,
      momentum: this.training && counter ? this.averagingFactor(counter) : 0,
      eps: this.eps,
    });
  }

  override attrs(): Attr[] {
    return [
      attr.int("num_features", this.numFeatures, { positional: true }),
      attr.float("eps", this.eps),
      attr.float("momentum", this.momentum),
      attr.bool("affine", this.affine),
      attr.bool("track_running_stats", this.trackRunningStats),
    ];
  }
}

/**
 * BatchNorm1d: per-feature batch normalisation of [N, C] or [N, C, L] inputs.
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) this.rankError(x, "a 2-D [N, C] or 3-D [N, C, L]");
  }
}

/**
 * BatchNorm2d: per-channel batch normalisation of NCHW images.
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) this.rankError(x, "a 4-D [N, C, H, W]");
  }
}
