// F.convTranspose2d: the adjoint of conv2d with respect to its input, written as a direct
// convolution: spread the input by the stride (zeros between pixels, via unslice), pad by
// dilation·(k-1) - padding (negative values crop), and correlate with the spatially flipped
// kernel whose in/out channel axes are swapped within each group.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { unslice } from "../../ops/slice.js";
import { permute, view } from "../../ops/views.js";
import { pad } from "../../functional/indexing.js";
import { flip, reshape, squeeze, unsqueeze } from "../../functional/shape.js";
import { conv2dBatched } from "./conv.js";
import { checkRank, pairOf, type IntOrPair, type Pair } from "./windows.js";

/** Options of {@link convTranspose2d} (PyTorch's names and defaults). */
export interface ConvTransposeOptions {
  /** Step of the corresponding convolution (default 1). */
  stride?: IntOrPair;
  /** Zero padding of the corresponding convolution, removed from the output (default 0). */
  padding?: IntOrPair;
  /** Extra size added to one side of the output (default 0; less than stride or dilation). */
  outputPadding?: IntOrPair;
  /** Channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntOrPair;
}

/** weight [Cin, Cout/g, kh, kw] → the equivalent conv2d weight [Cout, Cin/g, kh, kw]. */
function forwardWeight(weight: Tensor, groups: number): Tensor {
  const [Cin, Coutg, kh, kw] = weight.shape;
  const grouped = view(weight, [groups, Cin / groups, Coutg, kh, kw]);
  const swapped = permute(grouped, [0, 2, 1, 3, 4]);
  return reshape(flip(swapped, [3, 4]), [groups * Coutg, Cin / groups, kh, kw]);
}

function checkArgs(x: Tensor, weight: Tensor, groups: number, bias?: Tensor | null): void {
  const op = "convTranspose2d";
  if (weight.ndim !== 4)
    fail(op, `weight must be 4-D [in, out/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  if (!Number.isInteger(groups) || groups < 1 || weight.shape[0] % groups !== 0)
    fail(op, `groups=${groups} must be a positive integer dividing in_channels=${weight.shape[0]}`);
  if (x.shape[1] !== weight.shape[0])
    fail(
      op,
      `input ${fmtShape(x.shape)} has ${x.shape[1]} channels, weight ${fmtShape(weight.shape)} expects ${weight.shape[0]}`,
    );
  const O = weight.shape[1] * groups;
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== O))
    fail(op, `bias ${fmtShape(bias.shape)} must be 1-D of size out_channels=${O}`);
}

function transposed4d(
  x: Tensor,
  weight: Tensor,
  bias: Tensor | null | undefined,
  o: ConvTransposeOptions,
) {
  const op = "convTranspose2d";
  const groups = o.groups ?? 1;
  checkArgs(x, weight, groups, bias);
  const stride = pairOf(op, "stride", o.stride ?? 1, 1);
  const padding = pairOf(op, "padding", o.padding ?? 0);
  const dilation = pairOf(op, "dilation", o.dilation ?? 1, 1);
  const outPad = pairOf(op, "outputPadding", o.outputPadding ?? 0);
  for (const a of [0, 1])
    if (outPad[a] >= Math.max(stride[a], dilation[a]))
      fail(
        op,
        `outputPadding ${outPad} must be smaller than either stride ${stride} or dilation ${dilation}`,
      );
  const [N, C, H, W] = x.shape;
  const spread =
    stride[0] === 1 && stride[1] === 1
      ? x
      : unslice(
          x,
          [N, C, (H - 1) * stride[0] + 1, (W - 1) * stride[1] + 1],
          [0, 0, 0, 0],
          [1, 1, ...stride],
        );
  const kernel: Pair = [weight.shape[2], weight.shape[3]];
  const edge = [0, 1].map((a) => dilation[a] * (kernel[a] - 1) - padding[a]);
  const padded = pad(spread, [edge[1], edge[1] + outPad[1], edge[0], edge[0] + outPad[0]]);
  return conv2dBatched(op, padded, forwardWeight(weight, groups), bias, { dilation, groups });
}

/**
 * Transposed 2-D convolution ("deconvolution"), the gradient of conv2d: x `[N, Cin, H, W]`, weight
 * `[Cin, Cout/groups, kH, kW]` (`F.conv_transpose2d`).
 */
export function convTranspose2d(
  x: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  opts: ConvTransposeOptions = {},
): Tensor {
  const unbatched = checkRank("convTranspose2d", x, 2);
  const out = transposed4d(unbatched ? unsqueeze(x, 0) : x, weight, bias, opts);
  return unbatched ? squeeze(out, 0) : out;
}
