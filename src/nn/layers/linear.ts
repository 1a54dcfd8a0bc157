// Linear: y = x Wᵀ + b, weight [outFeatures, inFeatures], PyTorch's default initialisation
// (Kaiming-uniform with a = √5 for the weight, U(-1/√fanIn, 1/√fanIn) for the bias).
import type { Tensor } from "../../tensor/tensor.js";
import { checkAllocation, checkSize } from "../../tensor/validate.js";

import { empty, kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { linear } from "../functional/linear.js";
import type { TensorOptions } from "../../tensor/create.js";

export interface LinearOptions extends Pick<TensorOptions, "device"> {
  bias?: boolean;
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    opts: LinearOptions = {},
  ) {
    super();
    checkSize("Linear", inFeatures, "inFeatures");
    checkSize("Linear", outFeatures, "outFeatures");
    checkAllocation("Linear", [outFeatures, inFeatures], "float32");
    this.weight = new Parameter(empty([outFeatures, inFeatures], opts.device));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures], opts.device));
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias ? "True" : "False"}`;
  }
}
