// F.convTranspose2d: the adjoint of conv2d with respect to its input. Every input pixel stamps
// the kernel, weighted by its channel values, into the output at stride spacing: the stamps are
// the columns Wᵀx (one matmul per group) and col2im adds them up where they overlap. Written
// as a direct convolution over the input spread out by the stride instead, three quarters of
// a stride-2 input are zeros, yet each is multiplied and laid out in columns: at a GAN
// generator's 7×7 → 14×14 that was 4× the arithmetic and over 100× the memory traffic.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { add } from "../../ops/arithmetic.js";
import { col2im } from "../../ops/windows.js";
import { permute, view } from "../../ops/views.js";
import { matmul } from "../../functional/linalg.js";
import { reshape, squeeze, t, transpose, unsqueeze } from "../../functional/shape.js";
import { checkRank, pairOf, type IntOrPair } from "./windows.js";

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
  const [N, Cin, H, W] = x.shape;
  const [, Coutg, kh, kw] = weight.shape;
  const O = Coutg * groups;
  const size = (a: 0 | 1, n: number, k: number) =>
    (n - 1) * stride[a] - 2 * padding[a] + dilation[a] * (k - 1) + outPad[a] + 1;
  const [OH, OW] = [size(0, H, kh), size(1, W, kw)];
  if (OH < 1 || OW < 1)
    fail(
      op,
      `input ${fmtShape(x.shape)} with kernel ${kh}x${kw}, stride ${stride}, padding ${padding} ` +
        `and dilation ${dilation} gives an empty output (${OH}x${OW})`,
    );
  // x as [G, Cin/G, N·H·W] (one copy), the weight as [G, Cin/G, Cout/G·kh·kw] (a view).
  const rows = Coutg * kh * kw;
  const pixels = reshape(permute(x, [1, 0, 2, 3]), [groups, Cin / groups, N * H * W]);
  const w = reshape(weight, [groups, Cin / groups, rows]);
  const stamps =
    groups === 1
      ? matmul(t(squeeze(w, 0)), squeeze(pixels, 0))
      : matmul(transpose(w, 1, 2), pixels); // [G, Cout/G·kh·kw, N·H·W]
  // Stamp (co, i, j) of input pixel (n, h, w) lands at (n, co, h·s − p + i·d, w·s − p + j·d):
  // exactly what col2im sums for windows at the input's H×W positions.
  const out = col2im(
    view(stamps, [O, kh, kw, N, H, W]),
    { kernel: [kh, kw], stride, dilation, padding, out: [H, W] },
    [N, O, OH, OW],
  );
  return bias ? add(out, view(bias, [1, O, 1, 1])) : out;
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
