// The shared part of Conv1d, Conv2d and ConvTranspose2d (PyTorch's _ConvNd): the weight
// [out, in/groups, ...k] (transposed: [in, out/groups, ...k]), an optional bias, PyTorch's
// default initialisation and its repr.
import { fans, empty, kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { fail } from "../../tensor/errors.js";
import type { Device } from "../../backend/backend.js";
import { tupleOf } from "../functional/windows.js";
import { pyTuple } from "./pyrepr.js";

export type ConvPadding = number | readonly number[] | "valid" | "same";

export interface ConvLayerOptions {
  stride?: number | readonly number[];
  padding?: ConvPadding;
  dilation?: number | readonly number[];
  groups?: number;
  bias?: boolean;
  device?: Device;
}

export interface ConvConfig {
  kernelSize: number[];
  stride: number[];
  padding: number[] | "valid" | "same";
  dilation: number[];
  groups: number;
  outputPadding: number[];
}

export abstract class ConvNd extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: number[];
  readonly stride: number[];
  readonly padding: number[] | "valid" | "same";
  readonly dilation: number[];
  readonly groups: number;
  readonly outputPadding: number[];

  protected constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    config: ConvConfig,
    transposed: boolean,
    opts: { bias?: boolean; device?: Device },
  ) {
    super();
    const name = this.constructor.name;
    const { kernelSize, groups } = config;
    for (const [label, n] of [
      ["in_channels", inChannels],
      ["out_channels", outChannels],
    ] as const)
      if (!Number.isInteger(n) || n < 1 || n % groups !== 0)
        fail(name, `${label}=${n} must be a positive integer divisible by groups=${groups}`);
    const shape = transposed
      ? [inChannels, outChannels / groups, ...kernelSize]
      : [outChannels, inChannels / groups, ...kernelSize];
    this.weight = new Parameter(empty(shape, opts.device));
    this.bias = opts.bias === false ? null : new Parameter(empty([outChannels], opts.device));
    this.kernelSize = kernelSize;
    this.stride = config.stride;
    this.padding = config.padding;
    this.dilation = config.dilation;
    this.groups = groups;
    this.outputPadding = config.outputPadding;
    this.resetParameters();
  }

  /** Kaiming-uniform (a = √5) weight, bias U(±1/√fanIn): PyTorch's reset_parameters. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const { fanIn } = fans(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyTuple(this.kernelSize)}, stride=${pyTuple(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (this.padding.some((p) => p !== 0)) s += `, padding=${pyTuple(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyTuple(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0))
      s += `, output_padding=${pyTuple(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ", bias=False";
    return s;
  }
}

/** Normalises the layer arguments of an n-D convolution to tuples. */
export function convConfig(
  op: string,
  n: number,
  kernelSize: number | readonly number[],
  opts: ConvLayerOptions & { outputPadding?: number | readonly number[] },
): ConvConfig {
  const groups = opts.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1)
    fail(op, `groups must be a positive integer, got ${groups}`);
  const padding = opts.padding ?? 0;
  if (typeof padding === "string" && padding !== "same" && padding !== "valid")
    fail(op, `padding must be a number, a tuple, "valid" or "same", got "${padding}"`);
  const stride = tupleOf(op, "stride", opts.stride ?? 1, n, 1);
  if (padding === "same" && stride.some((s) => s !== 1))
    fail(
      op,
      `padding="same" is not supported for strided convolutions (stride ${pyTuple(stride)})`,
    );
  return {
    kernelSize: tupleOf(op, "kernelSize", kernelSize, n, 1),
    stride,
    padding: typeof padding === "string" ? padding : tupleOf(op, "padding", padding, n),
    dilation: tupleOf(op, "dilation", opts.dilation ?? 1, n, 1),
    groups,
    outputPadding: tupleOf(op, "outputPadding", opts.outputPadding ?? 0, n),
  };
}
