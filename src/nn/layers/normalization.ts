// Normalisation layers over each sample: LayerNorm, GroupNorm (BatchNorm lives in batch-norm.ts).
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail } from "../../tensor/errors.js";
import { empty, ones_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { layerNorm, groupNorm } from "../functional/normalization.js";

// LayerNorm: normalises each sample over its last dims (normalizedShape), with an
// elementwise affine transform (weight 1, bias 0 at start) of that shape.
/** Options of {@link LayerNorm} (PyTorch's names and defaults). */
export interface LayerNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale and shift (default true). */
  elementwiseAffine?: boolean;
  /** Learn a bias too (only with elementwiseAffine; default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/**
 * Normalises over the trailing `normalizedShape` dims with a learned elementwise scale and shift,
 * as `nn.LayerNorm`.
 */
export class LayerNorm extends Module {
  /** Elementwise scale γ (ones, shaped normalizedShape), or null. */
  weight: Parameter | null;
  /** Elementwise shift β (zeros, shaped normalizedShape), or null. */
  bias: Parameter | null;
  /** The trailing dims normalised over. */
  readonly normalizedShape: number[];
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Whether γ and β are learned. */
  readonly elementwiseAffine: boolean;

  constructor(normalizedShape: number | readonly number[], opts: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0 || shape.some((s) => !Number.isInteger(s) || s < 1))
      fail(
        "LayerNorm",
        `normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`,
      );
    this.normalizedShape = shape;
    this.eps = opts.eps ?? 1e-5;
    this.elementwiseAffine = opts.elementwiseAffine ?? true;
    const affine = this.elementwiseAffine;
    this.weight = affine ? new Parameter(empty(shape, opts.device)) : null;
    this.bias = affine && opts.bias !== false ? new Parameter(empty(shape, opts.device)) : null;
    this.resetParameters();
  }

  /** Sets γ to ones and β to zeros. */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  override attrs(): Attr[] {
    return [
      attr.tuple("normalized_shape", this.normalizedShape, { positional: true }),
      attr.float("eps", this.eps),
      attr.bool("elementwise_affine", this.elementwiseAffine),
    ];
  }
}

// GroupNorm: splits the channels into numGroups groups and normalises each group of each
// sample; per-channel affine (weight 1, bias 0 at start).
/** Options of {@link GroupNorm} (PyTorch's names and defaults). */
export interface GroupNormOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/**
 * Normalises `[N, C, ...]` over groups of channels, with a learned per-channel scale and shift, as
 * `nn.GroupNorm`.
 */
export class GroupNorm extends Module {
  /** Per-channel scale γ `[C]` (ones), or null. */
  weight: Parameter | null;
  /** Per-channel shift β `[C]` (zeros), or null. */
  bias: Parameter | null;
  /** Added to the variance for stability. */
  readonly eps: number;
  /** Whether γ and β are learned. */
  readonly affine: boolean;

  constructor(
    /** Number of groups the channels are split into. */
    readonly numGroups: number,
    /** Number of channels C (divisible by numGroups). */
    readonly numChannels: number,
    opts: GroupNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numGroups) || numGroups < 1 || numChannels % numGroups !== 0)
      fail("GroupNorm", `numChannels=${numChannels} must be divisible by numGroups=${numGroups}`);
    this.eps = opts.eps ?? 1e-5;
    this.affine = opts.affine ?? true;
    this.weight = this.affine ? new Parameter(empty([numChannels], opts.device)) : null;
    this.bias = this.affine ? new Parameter(empty([numChannels], opts.device)) : null;
    this.resetParameters();
  }

  /** Sets γ to ones and β to zeros. */
  resetParameters(): void {
    if (this.weight) ones_(this.weight);
    if (this.bias) zeros_(this.bias);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels)
      fail(
        "GroupNorm",
        `expected an input [N, ${this.numChannels}, ...], got [${x.shape.join(", ")}]`,
      );
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override attrs(): Attr[] {
    return [
      attr.int("num_groups", this.numGroups, { positional: true }),
      attr.int("num_channels", this.numChannels, { positional: true }),
      attr.float("eps", this.eps),
      attr.bool("affine", this.affine),
    ];
  }
}
