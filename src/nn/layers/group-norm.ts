// GroupNorm: splits the channels into numGroups groups and normalises each group of each
// sample; per-channel affine (weight 1, bias 0 at start).
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail } from "../../tensor/errors.js";
import { empty, ones_, zeros_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { groupNorm } from "../functional/normalization.js";
import { pyBool, pyFloat } from "./pyrepr.js";

export interface GroupNormOptions {
  eps?: number;
  affine?: boolean;
  device?: Device;
}

export class GroupNorm extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly affine: boolean;

  constructor(
    readonly numGroups: number,
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

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
