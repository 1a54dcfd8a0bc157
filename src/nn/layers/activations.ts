// Activation modules: thin wrappers over the functional forms, with PyTorch's arguments
// and reprs. They hold no parameters.
import { attr, type Attr } from "../attrs.js";
import type { Tensor } from "../../tensor/tensor.js";
import { relu, tanh, sigmoid } from "../../ops/unary.js";
import { leakyRelu } from "../../ops/activations.js";
import { elu, gelu, logSoftmax, silu, softmax, softplus } from "../../functional/math.js";
import { Module } from "../module.js";

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
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

export class ELU extends Module {
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

export class GELU extends Module {
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

export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Softmax extends Module {
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

export class LogSoftmax extends Module {
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
    readonly beta = 1,
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
