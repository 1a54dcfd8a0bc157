// LayerNorm: normalises each sample over its last dims (normalizedShape), with an
// elementwise affine transform (weight 1, bias 0 at start) of that shape.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail } from "../../tensor/errors.js";
import { empty, ones_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { layerNorm } from "../functional/normalization.js";
import { pyBool, pyFloat, pyTuple } from "./pyrepr.js";

export interface LayerNormOptions {
  eps?: number;
  elementwiseAffine?: boolean;
  /** Learn a bias too (only with elementwiseAffine; default true). */
  bias?: boolean;
  device?: Device;
}

export class LayerNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly normalizedShape: number[];
  readonly eps: number;
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

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
