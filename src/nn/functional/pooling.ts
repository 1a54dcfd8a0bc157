// F.maxPool1d / maxPool2d / avgPool2d: the same im2col windows as convolution, reduced over
// the window axis. Max pooling picks the first maximum of each window, so the gradient
// goes to one element per window, as in PyTorch.
import type { Tensor } from "../../tensor/tensor.js";
import { fail, fmtShape } from "../../tensor/errors.js";
import { fromArray } from "../../tensor/create.js";
import { argmax, sum } from "../../ops/reductions.js";
import { gather } from "../../ops/indexing.js";
import { cast } from "../../ops/copy.js";
import { expand, permute, view } from "../../ops/views.js";
import { im2col, windowArgmax, windowsTouchImage } from "../../ops/windows.js";
import { div } from "../../ops/arithmetic.js";
import { narrow, reshape, squeeze, unsqueeze } from "../../functional/shape.js";
import { checkRank, pairOf, windowCount, type IntOrPair, type Pair } from "./windows.js";

/** Options of {@link maxPool2d} (PyTorch's names and defaults). */
export interface MaxPoolOptions {
  /** Defaults to the kernel size. */
  stride?: IntOrPair | null;
  /** Implicit −∞ padding on both sides (default 0; at most half the kernel). */
  padding?: IntOrPair;
  /** Spacing between window taps (default 1). */
  dilation?: IntOrPair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the flat (h·W + w) input index of each maximum (int32). */
  returnIndices?: boolean;
}

interface Geometry {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  out: Pair;
}

function geometry(
  op: string,
  x: Tensor,
  kernelSize: IntOrPair,
  o: { stride?: IntOrPair | null; padding?: IntOrPair; dilation?: IntOrPair; ceilMode?: boolean },
): Geometry {
  const kernel = pairOf(op, "kernelSize", kernelSize, 1);
  const stride =
    o.stride === undefined || o.stride === null ? kernel : pairOf(op, "stride", o.stride, 1);
  const padding = pairOf(op, "padding", o.padding ?? 0);
  const dilation = pairOf(op, "dilation", o.dilation ?? 1, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2)
    fail(op, `padding ${padding} must be at most half of the kernel size ${kernel}`);
  const size = x.shape.slice(-2);
  const out = [0, 1].map((a) =>
    windowCount(size[a], kernel[a], stride[a], padding[a], dilation[a], o.ceilMode),
  ) as Pair;
  if (out[0] < 1 || out[1] < 1)
    fail(
      op,
      `input ${fmtShape(x.shape)} is too small for kernel ${kernel} with padding ${padding}; output would be ${out}`,
    );
  return { kernel, stride, padding, dilation, out };
}

/**
 * [N, C, H, W] → windows [C, kh·kw, N, OH, OW] (im2col), positions outside the image reading
 * `value`; ceilMode's overhanging windows need no extra padding.
 */
function windowsOf(x: Tensor, g: Geometry, value: number): Tensor {
  const cols = im2col(x, { ...g, padValue: value });
  const [N, C] = x.shape;
  return view(cols, [C, g.kernel[0] * g.kernel[1], N, ...g.out]);
}

/** [C, 1, N, OH, OW] (one value per window) → [N, C, OH, OW], a permuted view. */
function toImage(t: Tensor): Tensor {
  const [C, , N, OH, OW] = t.shape;
  return permute(view(t, [C, N, OH, OW]), [1, 0, 2, 3]);
}

/** Flat input index (h·W + w) of every (window tap, oh, ow), for returnIndices. */
function inputIndexTable(g: Geometry, W: number): Int32Array {
  const [kh, kw] = g.kernel;
  const [OH, OW] = g.out;
  const table = new Int32Array(kh * kw * OH * OW);
  let p = 0;
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const h = oh * g.stride[0] - g.padding[0] + i * g.dilation[0];
          const w = ow * g.stride[1] - g.padding[1] + j * g.dilation[1];
          table[p++] = h * W + w;
        }
  return table;
}

/**
 * The first maximum of each window: argmax picks its tap and gather reads it, so the
 * gradient (gather's scatter) reaches exactly that element, as in PyTorch.
 */
function maxPool4d(
  x: Tensor,
  kernelSize: IntOrPair,
  opts: MaxPoolOptions,
  op: string,
): [Tensor, Tensor] | Tensor {
  const g = geometry(op, x, kernelSize, opts);
  const xf = x.dtype === "float32" ? x : cast(x, "float32");
  const [N, C, H, W] = x.shape;
  if (windowsTouchImage(g, [H, W])) {
    // One pass picks each window's maximum; gather reads it (its gradient scatters back).
    const at = windowArgmax(xf, g);
    const flat = [N, C, g.out[0] * g.out[1]];
    const out = reshape(gather(reshape(xf, [N, C, H * W]), 2, reshape(at, flat)), at.shape);
    return opts.returnIndices ? [out, at] : out;
  }
  // Some window lies wholly in the padding (dilated kernels on tiny images): windows laid
  // out by im2col, integer images in float32 so the -Infinity padding never wins a window.
  const win = windowsOf(xf, g, -Infinity);
  const K = g.kernel[0] * g.kernel[1];
  const at = argmax(win, 1, true);
  const out = toImage(gather(win, 1, at));
  if (!opts.returnIndices) return out;
  const table = fromArray(inputIndexTable(g, x.shape[3]), [1, K, 1, ...g.out], x.device);
  return [out, toImage(gather(expand(table, win.shape), 1, at))];
}

/**
 * 2-D max pooling over `[N, C, H, W]` (or `[C, H, W]`), as `F.max_pool2d`; stride defaults to the
 * kernel size.
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  opts?: MaxPoolOptions & { returnIndices?: false },
): Tensor;
/**
 * With `returnIndices: true`, also the flat (h·W + w) input index of each maximum, as `[values,
 * indices]`.
 */
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  opts: MaxPoolOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool2d(
  x: Tensor,
  kernelSize: IntOrPair,
  opts: MaxPoolOptions = {},
): Tensor | [Tensor, Tensor] {
  const unbatched = checkRank("maxPool2d", x, 2);
  const res = maxPool4d(unbatched ? unsqueeze(x, 0) : x, kernelSize, opts, "maxPool2d");
  if (!unbatched) return res;
  return Array.isArray(res) ? [squeeze(res[0], 0), squeeze(res[1], 0)] : squeeze(res, 0);
}

/** Options of {@link maxPool1d} (PyTorch's names and defaults). */
export interface MaxPool1dOptions {
  /** Defaults to the kernel size. */
  stride?: number | null;
  /** Implicit −∞ padding on both sides (default 0). */
  padding?: number;
  /** Spacing between window taps (default 1). */
  dilation?: number;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the input index of each maximum (int32). */
  returnIndices?: boolean;
}

/** 1-D pooling is 2-D pooling over a height-1 image; indices index the length axis. */
export function maxPool1d(
  x: Tensor,
  kernelSize: number,
  opts?: MaxPool1dOptions & { returnIndices?: false },
): Tensor;
export function maxPool1d(
  x: Tensor,
  kernelSize: number,
  opts: MaxPool1dOptions & { returnIndices: true },
): [Tensor, Tensor];
export function maxPool1d(
  x: Tensor,
  kernelSize: number,
  opts: MaxPool1dOptions = {},
): Tensor | [Tensor, Tensor] {
  const unbatched = checkRank("maxPool1d", x, 1);
  const x4 = unsqueeze(unbatched ? unsqueeze(x, 0) : x, 2);
  const res = maxPool4d(
    x4,
    [1, kernelSize],
    {
      stride: opts.stride === undefined || opts.stride === null ? null : [1, opts.stride],
      padding: [0, opts.padding ?? 0],
      dilation: [1, opts.dilation ?? 1],
      ceilMode: opts.ceilMode,
      returnIndices: opts.returnIndices,
    },
    "maxPool1d",
  );
  const back = (t: Tensor) => (unbatched ? squeeze(squeeze(t, 2), 0) : squeeze(t, 2));
  return Array.isArray(res) ? [back(res[0]), back(res[1])] : back(res);
}

/** Options of {@link avgPool2d} (PyTorch's names and defaults). */
export interface AvgPoolOptions {
  /** Defaults to the kernel size. */
  stride?: IntOrPair | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: IntOrPair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (PyTorch's default, true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead of its size. */
  divisorOverride?: number | null;
}

/** How many of a window's taps along one axis count towards the divisor (PyTorch's rule). */
function axisCounts(g: Geometry, a: 0 | 1, size: number, includePad: boolean): number[] {
  return Array.from({ length: g.out[a] }, (_, o) => {
    const start = o * g.stride[a] - g.padding[a];
    const end = Math.min(start + g.kernel[a], size + g.padding[a]);
    return includePad ? end - start : Math.min(end, size) - Math.max(start, 0);
  });
}

/**
 * Window sums when the windows tile the image (stride = kernel, no padding, none overhanging):
 * the image read as [N, C, OH, kh, OW, kw] (a view after cropping the rows and columns floor
 * mode drops), summed over the taps. No im2col, and the gradient is a broadcast.
 */
function tiledWindowSums(x: Tensor, g: Geometry): Tensor | null {
  const [N, C, H, W] = x.shape;
  const [kh, kw] = g.kernel;
  const [OH, OW] = g.out;
  const tiles =
    g.stride[0] === kh && g.stride[1] === kw && g.padding[0] === 0 && g.padding[1] === 0;
  if (!tiles || OH * kh > H || OW * kw > W) return null;
  const cropped = narrow(narrow(x, 2, 0, OH * kh), 3, 0, OW * kw);
  return sum(reshape(cropped, [N, C, OH, kh, OW, kw]), [3, 5]);
}

function avgPool4d(x: Tensor, kernelSize: IntOrPair, opts: AvgPoolOptions): Tensor {
  const g = geometry("avgPool2d", x, kernelSize, { ...opts, dilation: 1 });
  const total = tiledWindowSums(x, g) ?? toImage(sum(windowsOf(x, g, 0), 1, true));
  const override = opts.divisorOverride;
  if (override !== undefined && override !== null) {
    if (!(override > 0)) fail("avgPool2d", `divisorOverride must be positive, got ${override}`);
    return div(total, override);
  }
  const includePad = opts.countIncludePad ?? true;
  const rows = axisCounts(g, 0, x.shape[2], includePad);
  const cols = axisCounts(g, 1, x.shape[3], includePad);
  const counts = Float32Array.from(rows.flatMap((r) => cols.map((c) => r * c)));
  return div(total, fromArray(counts, g.out, x.device));
}

/**
 * 2-D average pooling over `[N, C, H, W]` (or `[C, H, W]`), as `F.avg_pool2d`; stride defaults to
 * the kernel size.
 */
export function avgPool2d(x: Tensor, kernelSize: IntOrPair, opts: AvgPoolOptions = {}): Tensor {
  const unbatched = checkRank("avgPool2d", x, 2);
  const out = avgPool4d(unbatched ? unsqueeze(x, 0) : x, kernelSize, opts);
  return unbatched ? squeeze(out, 0) : out;
}
