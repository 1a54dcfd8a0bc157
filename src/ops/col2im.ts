// col2im: the adjoint of im2col. cols [C, kh, kw, N, OH, OW] → image [N, C, H, W], each
// image element the sum of every window tap that read it (padding positions are dropped).
// Linear, so its own gradient is im2col with zero padding.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { describe, run } from "./dispatch.js";
import { checkWindows, im2col, type WindowAttrs } from "./im2col.js";

export interface Col2imAttrs extends WindowAttrs {
  /** The image shape [N, C, H, W] (the output). */
  imageShape: readonly number[];
}

export const col2imRule: GradRule<Col2imAttrs> = {
  savesInputs: false,
  vjp: (g, { attrs }) => [im2col(g, { ...attrs, padValue: 0 })],
};

export function col2im(cols: Tensor, attrs: WindowAttrs, imageShape: readonly number[]): Tensor {
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
}
