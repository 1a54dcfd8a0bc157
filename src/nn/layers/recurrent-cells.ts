// RNNCellBase: the single-step cells' shared parameters, named as PyTorch's (weight_ih,
// weight_hh, bias_ih, bias_hh) so state dicts interchange, with U(−1/√H, 1/√H) init.
import type { Tensor } from "../../tensor/tensor.js";
import type { Device } from "../../backend/backend.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { zeros } from "../../tensor/create.js";
import { empty, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";

export interface RNNCellOptions {
  bias?: boolean;
  device?: Device;
}

export abstract class RNNCellBase extends Module {
  weight_ih: Parameter;
  weight_hh: Parameter;
  bias_ih: Parameter | null;
  bias_hh: Parameter | null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    gates: number,
    opts: RNNCellOptions = {},
  ) {
    super();
    if (
      !Number.isInteger(inputSize) ||
      inputSize < 0 ||
      !Number.isInteger(hiddenSize) ||
      hiddenSize < 1
    )
      fail(
        this.constructor.name,
        `sizes must be positive integers, got ${inputSize}, ${hiddenSize}`,
      );
    const rows = gates * hiddenSize;
    this.weight_ih = new Parameter(empty([rows, inputSize], opts.device));
    this.weight_hh = new Parameter(empty([rows, hiddenSize], opts.device));
    this.bias_ih = opts.bias === false ? null : new Parameter(empty([rows], opts.device));
    this.bias_hh = opts.bias === false ? null : new Parameter(empty([rows], opts.device));
    this.resetParameters();
  }

  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform_(p, -bound, bound);
  }

  /** The given state, or zeros shaped like the input's batch ([B, H] or [H]). */
  protected stateOr(x: Tensor, given: Tensor | undefined): Tensor {
    const shape = x.ndim === 2 ? [x.shape[0], this.hiddenSize] : [this.hiddenSize];
    if (x.ndim !== 1 && x.ndim !== 2)
      fail(
        this.constructor.name,
        `expected input [batch, ${this.inputSize}] or [${this.inputSize}], got ${fmtShape(x.shape)}`,
      );
    return given ?? zeros(shape, { device: x.device });
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}${this.bias_ih ? "" : ", bias=False"}`;
  }
}
