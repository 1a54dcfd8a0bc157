// F.conv1d / F.conv2d: cross-correlation over NCHW (NCL) inputs, PyTorch's arguments.
// Where the device has a kernel for the conv2d primitive (the CPU, float32) it runs that
// (ops/conv2d.ts: blocks of one image at a time, a contiguous output). Elsewhere the im2col
// primitive lays every window out as columns [C·kh·kw, N·OH·OW] (padding included), then one
// matmul per group with the weight [O, C/groups·kh·kw] computes the whole batch.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { add } from "../../ops/arithmetic.js";
import { view, permute } from "../../ops/views.js";
import { matmul } from "../../functional/linalg.js";
import { im2col } from "../../ops/windows.js";
import { tidy } from "../../memory/scope.js";
import { getKernel } from "../../backend/registry.js";
import { conv2dForward } from "../../ops/conv2d.js";
import { reshape, squeeze, unsqueeze } from "../../functional/shape.js";
import { checkRank, pairOf, windowCount, type IntOrPair, type Pair } from "./windows.js";

/** Options of {@link conv2d} (PyTorch's names and defaults). */
export interface ConvOptions {
  /** Step of the kernel over the input (default 1). */
  stride?: IntOrPair;
  /** Zero padding per side, or "valid" (none) or "same" (output size = input size, stride 1). */
  padding?: IntOrPair | "valid" | "same";
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
  /**
   * Channel groups: input and output channels split into `groups` independent convolutions (default
   * 1).
   */
  groups?: number;
}

/** (before, after) zero padding per spatial axis; "same" puts the odd element after. */
function paddingOf(
  op: string,
  padding: ConvOptions["padding"],
  kernel: Pair,
  stride: Pair,
  dilation: Pair,
): [Pair, Pair] {
  if (padding === "valid")
    return [
      [0, 0],
      [0, 0],
    ];
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1)
      fail(op, `padding="same" is not supported for strided convolutions (stride ${stride})`);
    const total = [0, 1].map((a) => dilation[a] * (kernel[a] - 1));
    return [
      [Math.floor(total[0] / 2), total[0] - Math.floor(total[0] / 2)],
      [Math.floor(total[1] / 2), total[1] - Math.floor(total[1] / 2)],
    ];
  }
  const p = pairOf(op, "padding", padding ?? 0);
  return [
    [p[0], p[0]],
    [p[1], p[1]],
  ];
}

function checkChannels(
  op: string,
  x: Tensor,
  weight: Tensor,
  groups: number,
  bias?: Tensor | null,
) {
  const [O, Cg] = weight.shape;
  if (!Number.isInteger(groups) || groups < 1 || O % groups !== 0)
    fail(op, `groups=${groups} must be a positive integer dividing out_channels=${O}`);
  if (x.shape[1] !== Cg * groups)
    fail(
      op,
      `input ${fmtShape(x.shape)} has ${x.shape[1]} channels, but weight ${fmtShape(weight.shape)} ` +
        `with groups=${groups} expects ${Cg * groups}`,
    );
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    fail(op, `bias ${fmtShape(bias.shape)} must be 1-D of size out_channels=${O}`);
}

/**
 * Whether the conv2d primitive runs these operands: float32, all on a device with its kernel,
 * and some weight (an empty batch is fine: no output, ∂w zero).
 */
function hasConvKernel(x: Tensor, weight: Tensor, bias: Tensor | null | undefined): boolean {
  const operands = [x, weight, ...(bias ? [bias] : [])];
  return (
    getKernel("conv2d", x.device) !== undefined &&
    weight.size > 0 &&
    operands.every((t) => t.dtype === "float32" && t.device === x.device)
  );
}

/** The batched 4-D core shared by conv1d and conv2d. */
export function conv2dBatched(
  op: string,
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  opts: ConvOptions,
): Tensor {
  if (weight.ndim !== 4)
    fail(op, `weight must be 4-D [out, in/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const groups = opts.groups ?? 1;
  checkChannels(op, x, weight, groups, bias);
  const kernel: Pair = [weight.shape[2], weight.shape[3]];
  const stride = pairOf(op, "stride", opts.stride ?? 1, 1);
  const dilation = pairOf(op, "dilation", opts.dilation ?? 1, 1);
  const [ph, pw] = paddingOf(op, opts.padding, kernel, stride, dilation);
  const [N, C, H, W] = x.shape;
  const OH = windowCount(H + ph[0] + ph[1], kernel[0], stride[0], 0, dilation[0]);
  const OW = windowCount(W + pw[0] + pw[1], kernel[1], stride[1], 0, dilation[1]);
  if (OH < 1 || OW < 1)
    fail(
      op,
      `input ${fmtShape(x.shape)} (padded to ${H + ph[0] + ph[1]}x${W + pw[0] + pw[1]}) is smaller ` +
        `than the dilated kernel ${(kernel[0] - 1) * dilation[0] + 1}x${(kernel[1] - 1) * dilation[1] + 1}`,
    );
  const K = kernel[0] * kernel[1];
  const O = weight.shape[0];
  const G = groups;
  if (hasConvKernel(x, weight, bias)) {
    const attrs = {
      stride,
      dilation,
      padding: [ph[0], pw[0]] as Pair,
      out: [OH, OW] as Pair,
      groups,
    };
    return conv2dForward(x, weight.contiguous(), bias ? bias.contiguous() : null, attrs);
  }
  // The columns are disposed as soon as the product is made (backward holds its own alias),
  // so their array goes back to the pool even outside a tidy(): a fresh one costs more in
  // page faults than the im2col that fills it (75 MB for 64 channels, 32×32, batch 32).
  return tidy(() => {
    // cols [C, kh, kw, N, OH, OW] is [G, C/G·kh·kw, N·OH·OW] as it lies, so the whole batch
    // is one matmul per group with N·OH·OW columns (long rows the GEMM runs at full speed).
    const cols = im2col(x, {
      kernel,
      stride,
      dilation,
      padding: [ph[0], pw[0]],
      out: [OH, OW],
      padValue: 0,
    });
    const rows = (C / G) * K;
    const y =
      G === 1
        ? matmul(reshape(weight, [O, rows]), view(cols, [rows, N * OH * OW]))
        : matmul(reshape(weight, [G, O / G, rows]), view(cols, [G, rows, N * OH * OW]));
    // [O, N, OH, OW] read as [N, O, OH, OW]: a permuted view, no copy.
    const out = permute(view(y, [O, N, OH, OW]), [1, 0, 2, 3]);
    return bias ? add(out, view(bias, [1, O, 1, 1])) : out;
  });
}

/**
 * 2-D convolution (cross-correlation, as `F.conv2d`): x `[N, Cin, H, W]`, weight `[Cout,
 * Cin/groups, kH, kW]`, bias `[Cout]` → `[N, Cout, Hout, Wout]`.
 *
 * @example
 * ```ts
 * const x = dl.randn([8, 3, 32, 32]);
 * const w = dl.randn([16, 3, 3, 3]);
 * const y = dl.nn.functional.conv2d(x, w, null, { padding: 1 });
 * y.shape; // [8, 16, 32, 32]
 * ```
 */
export function conv2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  opts: ConvOptions = {},
): Tensor {
  const unbatched = checkRank("conv2d", x, 2);
  const out = conv2dBatched("conv2d", unbatched ? unsqueeze(x, 0) : x, weight, bias, opts);
  return unbatched ? squeeze(out, 0) : out;
}

/** Options of {@link conv1d} (PyTorch's names and defaults). */
export interface Conv1dOptions {
  /** Step of the kernel over the input (default 1). */
  stride?: number | readonly number[];
  /**
   * Zero padding on both sides, or `"valid"` (none) / `"same"` (output as long as the input)
   * (default 0).
   */
  padding?: number | readonly number[] | "valid" | "same";
  /** Spacing between kernel taps (default 1). */
  dilation?: number | readonly number[];
  /** Channel groups (default 1). */
  groups?: number;
}

/** One-element tuples as PyTorch allows them for 1-D arguments. */
function single(v: number | readonly number[] | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  return typeof v === "number" ? v : v.length === 1 ? v[0] : NaN;
}

/** A 1-D convolution is a 2-D one over a height-1 image: x [N, C, L] → [N, C, 1, L]. */
export function conv1d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  opts: Conv1dOptions = {},
): Tensor {
  const unbatched = checkRank("conv1d", x, 1);
  if (weight.ndim !== 3)
    fail("conv1d", `weight must be 3-D [out, in/groups, k], got ${fmtShape(weight.shape)}`);
  const p = opts.padding;
  const padding = p === "same" || p === "valid" ? p : ([0, single(p, 0)] as const);
  const x4 = unsqueeze(unbatched ? unsqueeze(x, 0) : x, 2);
  const out = conv2dBatched("conv1d", x4, unsqueeze(weight, 2), bias, {
    stride: [1, single(opts.stride, 1)],
    dilation: [1, single(opts.dilation, 1)],
    padding,
    groups: opts.groups,
  });
  const y = squeeze(out, 2);
  return unbatched ? squeeze(y, 0) : y;
}
