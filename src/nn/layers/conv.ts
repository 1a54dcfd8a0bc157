// Convolution layers: the shared n-D base, Conv1d, Conv2d and ConvTranspose2d.
import { attr, type Attr } from "../attrs.js";
import { fans, empty, kaimingUniform_, uniform_ } from "../init.js";
import { Module } from "../module.js";
import { Parameter } from "../parameter.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import type { Device } from "../../backend/backend.js";
import { tupleOf } from "../functional/windows.js";
import { pyTuple } from "./pyrepr.js";
import type { Tensor } from "../../tensor/tensor.js";
import { conv1d, conv2d } from "../functional/conv.js";
import { convTranspose2d } from "../functional/conv-transpose.js";

// The shared part of Conv1d, Conv2d and ConvTranspose2d (PyTorch's _ConvNd): the weight
// [out, in/groups, ...k] (transposed: [in, out/groups, ...k]), an optional bias, PyTorch's
// default initialisation and its repr.
/**
 * Zero padding: one size for every side, one per spatial dim, `"valid"` (none) or `"same"` (output
 * as large as the input, stride 1).
 */
export type ConvPadding = number | readonly number[] | "valid" | "same";

/** Options of {@link Conv1d} and {@link Conv2d} (PyTorch's names and defaults). */
export interface ConvLayerOptions {
  /** Step of the kernel (default 1). */
  stride?: number | readonly number[];
  /** Zero padding (default 0). */
  padding?: ConvPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Channel groups (default 1; both channel counts must divide by it). */
  groups?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  /** Where the parameters live (default: the current device). */
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

/** The base of the convolution layers: their weight, bias and settings (PyTorch's `_ConvNd`). */
export abstract class ConvNd extends Module {
  /**
   * The kernels, `[Cout, Cin/groups, ...kernel]` (transposed: `[Cin, Cout/groups, ...kernel]`),
   * U(−1/√fanIn, 1/√fanIn) as in PyTorch.
   */
  weight: Parameter;
  /** One bias per output channel, or null. */
  bias: Parameter | null;
  /** The kernel size per spatial dim. */
  readonly kernelSize: number[];
  /** The stride per spatial dim. */
  readonly stride: number[];
  /** The padding per spatial dim, or "valid" / "same". */
  readonly padding: number[] | "valid" | "same";
  /** The dilation per spatial dim. */
  readonly dilation: number[];
  /** Channel groups. */
  readonly groups: number;
  /** Output padding per spatial dim (transposed convolutions; zeros otherwise). */
  readonly outputPadding: number[];

  protected constructor(
    /** Input channels. */
    readonly inChannels: number,
    /** Output channels. */
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

  override attrs(): Attr[] {
    const padding =
      typeof this.padding === "string"
        ? attr.text("padding", this.padding)
        : attr.tuple("padding", this.padding, { quiet: this.padding.every((p) => p === 0) });
    return [
      attr.int("in_channels", this.inChannels, { positional: true }),
      attr.int("out_channels", this.outChannels, { positional: true }),
      attr.tuple("kernel_size", this.kernelSize),
      attr.tuple("stride", this.stride),
      padding,
      attr.tuple("dilation", this.dilation, { quiet: this.dilation.every((d) => d === 1) }),
      attr.tuple("output_padding", this.outputPadding, {
        quiet: this.outputPadding.every((p) => p === 0),
      }),
      attr.int("groups", this.groups, { quiet: this.groups === 1 }),
      attr.bool("bias", this.bias !== null, { quiet: this.bias !== null }),
    ];
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

/**
 * Conv1d: 1-D cross-correlation over [N, C, L] sequences, weight [out, in/groups, k].
 */
export class Conv1d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number],
    opts: ConvLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("Conv1d", 1, kernelSize, opts), false, opts);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

/**
 * Conv2d: 2-D cross-correlation over NCHW images, weight [out, in/groups, kh, kw], as
 * `nn.Conv2d`: `[N, Cin, H, W]` → `[N, Cout, Hout, Wout]`.
 *
 * @example
 * ```ts
 * const conv = new dl.nn.Conv2d(1, 8, 3, { padding: 1 });
 * conv.forward(dl.randn([16, 1, 28, 28])).shape; // [16, 8, 28, 28]
 * conv.weight.shape; // [8, 1, 3, 3]
 * ```
 */
export class Conv2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    opts: ConvLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("Conv2d", 2, kernelSize, opts), false, opts);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}

// ConvTranspose2d: the gradient of Conv2d with respect to its input, used to upsample;
// weight [in, out/groups, kh, kw]. forward(x, outputSize) picks the output padding that
// reaches a requested size, as in PyTorch.
/** Options of {@link ConvTranspose2d} (PyTorch's names and defaults). */
export interface ConvTransposeLayerOptions extends Omit<ConvLayerOptions, "padding"> {
  /** Zero padding of the corresponding convolution, removed from the output (default 0). */
  padding?: number | readonly [number, number];
  /** Extra size added to one side of the output (default 0). */
  outputPadding?: number | readonly [number, number];
}

/**
 * Transposed 2-D convolution over `[N, Cin, H, W]`, as `nn.ConvTranspose2d`: upsamples; the
 * gradient of Conv2d with the same settings.
 */
export class ConvTranspose2d extends ConvNd {
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | readonly [number, number],
    opts: ConvTransposeLayerOptions = {},
  ) {
    super(inChannels, outChannels, convConfig("ConvTranspose2d", 2, kernelSize, opts), true, opts);
  }

  /** The output padding that makes the output `outputSize` (its last two entries). */
  private outputPaddingFor(x: Tensor, outputSize: readonly number[]): number[] {
    const target = outputSize.slice(-2);
    const pads = this.padding as number[];
    return [0, 1].map((a) => {
      const size = x.shape[x.ndim - 2 + a];
      const least =
        (size - 1) * this.stride[a] - 2 * pads[a] + this.dilation[a] * (this.kernelSize[a] - 1) + 1;
      const extra = target[a] - least;
      if (
        target.length !== 2 ||
        !(extra >= 0 && extra < Math.max(this.stride[a], this.dilation[a]))
      )
        fail(
          "ConvTranspose2d",
          `requested output size ${fmtShape(outputSize)} is not reachable from input ${fmtShape(x.shape)} ` +
            `(axis ${a} allows ${least} to ${least + Math.max(this.stride[a], this.dilation[a]) - 1})`,
        );
      return extra;
    });
  }

  forward(x: Tensor, outputSize?: readonly number[]): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding as number[],
      outputPadding: outputSize ? this.outputPaddingFor(x, outputSize) : this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }
}
