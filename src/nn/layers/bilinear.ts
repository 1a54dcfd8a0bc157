// Bilinear: y = x1ᵀ W x2 + b with weight [out, in1, in2]; PyTorch initialises weight and
// bias U(-1/√in1, 1/√in1).
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { empty, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { bilinear } from "../functional/bilinear.js";
import { pyBool } from "./pyrepr.js";

export interface BilinearOptions {
  bias?: boolean;
  device?: Device;
}

export class Bilinear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly in1Features: number,
    readonly in2Features: number,
    readonly outFeatures: number,
    opts: BilinearOptions = {},
  ) {
    super();
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], opts.device));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures], opts.device));
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override extraRepr(): string {
    return (
      `in1_features=${this.in1Features}, in2_features=${this.in2Features}, ` +
      `out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`
    );
  }
}
