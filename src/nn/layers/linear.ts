// Linear maps: Linear, Bilinear, and Identity (as in PyTorch's nn/modules/linear.py).
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { checkAllocation, checkSize } from "../../tensor/validate.js";

import { empty, kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { linear } from "../functional/linear.js";
import type { TensorOptions } from "../../tensor/create.js";
import type { Device } from "../../backend/backend.js";
import { bilinear } from "../functional/bilinear.js";

// Linear: y = x Wᵀ + b, weight [outFeatures, inFeatures], PyTorch's default initialisation
// (Kaiming-uniform with a = √5 for the weight, U(-1/√fanIn, 1/√fanIn) for the bias).
/** Options of {@link Linear}. */
export interface LinearOptions extends Pick<TensorOptions, "device"> {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Fully connected layer `y = x Wᵀ + b`, as `nn.Linear`: `[..., inFeatures]` → `[..., outFeatures]`.
 *
 * @example
 * ```ts
 * const fc = new dl.nn.Linear(784, 10);
 * fc.forward(dl.randn([32, 784])).shape; // [32, 10]
 * fc.weight.shape; // [10, 784]
 * ```
 */
export class Linear extends Module {
  /** `[outFeatures, inFeatures]`, U(−1/√in, 1/√in) as in PyTorch. */
  weight: Parameter;
  /** `[outFeatures]`, U(−1/√in, 1/√in), or null. */
  bias: Parameter | null;

  constructor(
    /** Size of each input sample. */
    readonly inFeatures: number,
    /** Size of each output sample. */
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

  /** Re-draws weight and bias from U(−1/√in, 1/√in), as PyTorch's `reset_parameters`. */
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

  override attrs(): Attr[] {
    return [
      attr.int("in_features", this.inFeatures),
      attr.int("out_features", this.outFeatures),
      attr.bool("bias", this.bias !== null),
    ];
  }
}

// Bilinear: y = x1ᵀ W x2 + b with weight [out, in1, in2]; PyTorch initialises weight and
// bias U(-1/√in1, 1/√in1).
/** Options of {@link Bilinear}. */
export interface BilinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
  device?: Device;
}

/** `y = x1ᵀ A x2 + b`, as `nn.Bilinear`: `[N, in1]`, `[N, in2]` → `[N, out]`. */
export class Bilinear extends Module {
  /** `[outFeatures, in1Features, in2Features]`, U(−1/√in1, 1/√in1). */
  weight: Parameter;
  /** `[outFeatures]`, or null. */
  bias: Parameter | null;

  constructor(
    /** Size of each first input sample. */
    readonly in1Features: number,
    /** Size of each second input sample. */
    readonly in2Features: number,
    /** Size of each output sample. */
    readonly outFeatures: number,
    opts: BilinearOptions = {},
  ) {
    super();
    this.weight = new Parameter(empty([outFeatures, in1Features, in2Features], opts.device));
    this.bias = opts.bias === false ? null : new Parameter(empty([outFeatures], opts.device));
    this.resetParameters();
  }

  /** Re-draws weight and bias from U(−1/√in1, 1/√in1). */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, -bound, bound);
    if (this.bias) uniform_(this.bias, -bound, bound);
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    return bilinear(x1, x2, this.weight, this.bias);
  }

  override attrs(): Attr[] {
    return [
      attr.int("in1_features", this.in1Features),
      attr.int("in2_features", this.in2Features),
      attr.int("out_features", this.outFeatures),
      attr.bool("bias", this.bias !== null),
    ];
  }
}

/**
 * Identity: returns its input unchanged (a placeholder layer in architectures, e.g. to drop
 * a head), accepting and ignoring any constructor arguments as PyTorch does.
 */
export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}
