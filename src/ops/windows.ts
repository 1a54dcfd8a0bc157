// The window primitives behind convolution and pooling. im2col: every sliding window of an image laid out as columns, the core of convolution
// and pooling. x [N, C, H, W] → cols [C, kh, kw, N, OH, OW] with
//   cols[c, i, j, n, oh, ow] = x[n, c, oh·sh − pt + i·dh, ow·sw − pl + j·dw]
// (padValue where that falls outside the image). This layout makes a convolution one 2-D
// matmul, weight [O, C·kh·kw] by cols [C·kh·kw, N·OH·OW], and puts the window taps of
// pooling in one middle dim. Linear, so its gradient is its adjoint col2im (overlapping
// windows summed), one pass instead of a full-size gradient per kernel tap.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { describe, run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";

export type Pair = readonly [number, number];

export interface WindowAttrs {
  kernel: Pair;
  stride: Pair;
  dilation: Pair;
  /** Padding before the image (top, left); windows may also overhang after it. */
  padding: Pair;
  /** Window count (OH, OW). */
  out: Pair;
}

export interface Im2colAttrs extends WindowAttrs {
  /** What positions outside the image read as (0 for convolution, -Infinity for max pooling). */
  padValue: number;
}

const im2colRule: GradRule<Im2colAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs, inputShapes: [shape] }) => [col2im(g, attrs, shape)],
};

/** Checks window geometry: positive integer kernel, stride, dilation and count, padding ≥ 0. */
export function checkWindows(op: string, a: WindowAttrs): void {
  const ok = (p: Pair, min: number) =>
    Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= min);
  const bad = (["kernel", "stride", "dilation", "out"] as const).find((k) => !ok(a[k], 1));
  if (bad || !ok(a.padding, 0))
    fail(
      op,
      `expected kernel, stride, dilation and out as pairs of integers >= 1 and padding as a ` +
        `pair of integers >= 0, got ${bad ?? "padding"} ${JSON.stringify(a[bad ?? "padding"])}`,
    );
}

/** Every sliding window of x [N, C, H, W] as columns [C, kh, kw, N, OH, OW]. */
export const im2col = definePrimitive(
  { name: "im2col", kind: "compute", method: false, rule: im2colRule },
  function im2col(x: Tensor, attrs: Im2colAttrs): Tensor {
    if (x.ndim !== 4) fail("im2col", `expected a 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
    checkWindows("im2col", attrs);
    const [N, C] = x.shape;
    const shape = [C, ...attrs.kernel, N, ...attrs.out];
    const clean: Im2colAttrs = {
      kernel: attrs.kernel,
      stride: attrs.stride,
      dilation: attrs.dilation,
      padding: attrs.padding,
      out: attrs.out,
      padValue: attrs.padValue,
    };
    return run("im2col", im2colRule, [x], clean, { shape, dtype: x.dtype });
  },
);

export interface Col2imAttrs extends WindowAttrs {
  /** The image shape [N, C, H, W] (the output). */
  imageShape: readonly number[];
}

const col2imRule: GradRule<Col2imAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs }) => [im2col(g, { ...attrs, padValue: 0 })],
};

/**
 * The adjoint of im2col: cols [C, kh, kw, N, OH, OW] → image [N, C, H, W], each image element
 * the sum of every window tap that read it (padding positions are dropped). Linear, so its
 * own gradient is im2col with zero padding.
 */
export const col2im = definePrimitive(
  { name: "col2im", kind: "compute", method: false, rule: col2imRule },
  function col2im(cols: Tensor, attrs: WindowAttrs, imageShape: readonly number[]): Tensor {
    checkWindows("col2im", attrs);
    const [N, C] = imageShape;
    const want = [C, ...attrs.kernel, N, ...attrs.out];
    if (
      imageShape.length !== 4 ||
      cols.ndim !== 6 ||
      cols.shape.some((d, i) => d !== want[i]) ||
      imageShape.some((d) => !Number.isInteger(d) || d < 0)
    )
      fail(
        "col2im",
        `columns ${fmtShape(cols.shape)} do not match image ${fmtShape(imageShape)} with kernel ` +
          `${attrs.kernel} and ${attrs.out} windows: expected ${fmtShape(want)}`,
      );
    if (cols.dtype === "bool") fail("col2im", `cannot sum bool columns (got ${describe(cols)})`);
    const clean: Col2imAttrs = {
      kernel: attrs.kernel,
      stride: attrs.stride,
      dilation: attrs.dilation,
      padding: attrs.padding,
      out: attrs.out,
      imageShape: [...imageShape],
    };
    return run("col2im", col2imRule, [cols], clean, { shape: [...imageShape], dtype: cols.dtype });
  },
);

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

/**
 * Whether every window of `a` over an image of `size` (H, W) holds at least one in-image
 * tap, so each has a maximum to point at.
 */
export function windowsTouchImage(a: WindowAttrs, size: Pair): boolean {
  return ([0, 1] as const).every((ax) => {
    for (let o = 0; o < a.out[ax]; o++) {
      const start = o * a.stride[ax] - a.padding[ax];
      let hit = false;
      for (let i = 0; i < a.kernel[ax] && !hit; i++) {
        const p = start + i * a.dilation[ax];
        hit = p >= 0 && p < size[ax];
      }
      if (!hit) return false;
    }
    return true;
  });
}

/**
 * Max pooling's selection: x [N, C, H, W] (float32) → int32 [N, C, OH, OW], each the flat
 * index h·W + w of the first maximum of its window (taps in row-major order, positions
 * outside the image skipped; a NaN wins, as PyTorch propagates it). Pooling gathers the
 * values with it, so the gradient (gather's scatter) reaches exactly that element, in one
 * pass over the image instead of windows laid out by im2col, an argmax and a gather.
 */
export const windowArgmax = definePrimitive(
  { name: "windowArgmax", kind: "compute", method: false, rule: notDifferentiable },
  function windowArgmax(x: Tensor, attrs: WindowAttrs): Tensor {
    const op = "windowArgmax";
    if (x.ndim !== 4) fail(op, `expected a 4-D input [N, C, H, W], got ${fmtShape(x.shape)}`);
    if (x.dtype !== "float32") fail(op, `expected a float32 image, got ${describe(x)}`);
    checkWindows(op, attrs);
    const [N, C, H, W] = x.shape;
    if (!windowsTouchImage(attrs, [H, W]))
      fail(op, `some window of ${JSON.stringify(attrs)} lies wholly outside ${fmtShape(x.shape)}`);
    const clean: WindowAttrs = {
      kernel: attrs.kernel,
      stride: attrs.stride,
      dilation: attrs.dilation,
      padding: attrs.padding,
      out: attrs.out,
    };
    return run(op, notDifferentiable, [x], clean, { shape: [N, C, ...attrs.out], dtype: "int32" });
  },
);
