// Activation modules: thin wrappers over the functional forms, with PyTorch's arguments
// and reprs. They hold no parameters.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { relu, tanh, sigmoid } from "../../ops/unary.js";
import { leakyRelu } from "../../ops/activations.js";
import { elu, gelu, logSoftmax, silu, softmax, softplus } from "../../functional/math.js";
import { Module } from "../module.js";

/** max(0, x), elementwise (`nn.ReLU`). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

/** x where x > 0, else negativeSlope·x (`nn.LeakyReLU`). */
export class LeakyReLU extends Module {
  /** @param negativeSlope - Slope where x < 0 (default 0.01). */
  constructor(readonly negativeSlope = 0.01) {
    super();
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override attrs(): Attr[] {
    return [attr.float("negative_slope", this.negativeSlope)];
  }
}

/** x where x > 0, else α·(eˣ − 1) (`nn.ELU`). */
export class ELU extends Module {
  /** @param alpha - α of α·(eˣ − 1) where x < 0 (default 1). */
  constructor(readonly alpha = 1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override attrs(): Attr[] {
    return [attr.float("alpha", this.alpha)];
  }
}

/** x·Φ(x), exact or with the tanh approximation (`nn.GELU`). */
export class GELU extends Module {
  /** @param approximate - `"none"` (exact, with erf) or `"tanh"` (the tanh approximation). */
  constructor(readonly approximate: "none" | "tanh" = "none") {
    super();
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override attrs(): Attr[] {
    return [attr.quoted("approximate", this.approximate)];
  }
}

/** x·σ(x), a.k.a. swish (`nn.SiLU`). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

/** tanh(x), elementwise (`nn.Tanh`). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

/** σ(x) = 1/(1 + e⁻ˣ), elementwise (`nn.Sigmoid`). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

/** Softmax along `dim` (default: the last), as `nn.Softmax`. */
export class Softmax extends Module {
  /** @param dim - The dim each slice sums to 1 along (default: the last). */
  constructor(readonly dim?: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override attrs(): Attr[] {
    return [attr.int("dim", this.dim ?? null)];
  }
}

/** log(softmax(x)) along `dim` (default: the last), as `nn.LogSoftmax`. */
export class LogSoftmax extends Module {
  /** @param dim - The dim normalised along (default: the last). */
  constructor(readonly dim?: number) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override attrs(): Attr[] {
    return [attr.int("dim", this.dim ?? null)];
  }
}

/** log(1 + e^(βx))/β, reverting to x where βx > threshold (PyTorch's numerical switch). */
export class Softplus extends Module {
  constructor(
    /** β of log(1 + e^(βx))/β (default 1). */
    readonly beta = 1,
    /** Above βx > threshold the output is x (default 20). */
    readonly threshold = 20,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  override attrs(): Attr[] {
    return [attr.float("beta", this.beta), attr.float("threshold", this.threshold)];
  }
}
