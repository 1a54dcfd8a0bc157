// Identity: returns its input unchanged (a placeholder layer in architectures, e.g. to drop
// a head), accepting and ignoring any constructor arguments as PyTorch does.
import type { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";

export class Identity extends Module {
  constructor(..._args: unknown[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    return x;
  }
}
