// conv2d's forward pass as one primitive, where the backend has its kernel (the CPU): x [N, C,
// H, W], weight [O, C/G, kh, kw] and an optional bias [O] → y [N, O, OH, OW] contiguous, with
//   y[n, o, oh, ow] = b[o] + Σ_{c, i, j} w[o, c, i, j] · x[n, g·C/G + c, oh·sh − pt + i·dh, ow·sw − pl + j·dw]
// (g = o's group, x zero outside the image). The composed path (nn/functional/conv.ts) lays
// out the whole batch's windows with im2col and multiplies once, which writes and reads back
// columns kh·kw times the input's size and yields a channel-major product read through a
// permuted view; the kernel instead works a block of one image's output positions at a time
// (backend/cpu/conv2d.ts). The gradient is composed from the same ops the composed path
// records (im2col, matmul, col2im and a sum), so it means exactly what that path's does and
// can itself be differentiated.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { batchedMatmul } from "./matmul.js";
import { sum } from "./reductions.js";
import { permute, view } from "./views.js";
import { checkWindows, col2im, im2col, type Pair, type WindowAttrs } from "./windows.js";

export interface Conv2dAttrs {
  readonly stride: Pair;
  readonly dilation: Pair;
  /** Zero padding before the image (top, left); windows may also overhang after it. */
  readonly padding: Pair;
  /** Output size (OH, OW). */
  readonly out: Pair;
  /** Channel groups: input and output channels split into this many independent convolutions. */
  readonly groups: number;
}

const windowsOf = (a: Conv2dAttrs, w: Tensor): WindowAttrs => ({
  kernel: [w.shape[2], w.shape[3]],
  stride: a.stride,
  dilation: a.dilation,
  padding: a.padding,
  out: a.out,
});

const conv2dRule: GradRule<Conv2dAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, w, bias], attrs, needs }) => {
    const [N, C] = x.shape;
    const [O, Cg, kh, kw] = w.shape;
    const G = attrs.groups;
    const [OH, OW] = attrs.out;
    const [rows, positions] = [Cg * kh * kw, N * OH * OW];
    const windows = windowsOf(attrs, w);
    // g [N, O, OH, OW] channel-major, [G, O/G, N·OH·OW]: the columns' layout.
    const gm =
      needs[0] || needs[1]
        ? view(permute(g, [1, 0, 2, 3]).contiguous(), [G, O / G, positions])
        : null;
    let [dx, dw]: (Tensor | null)[] = [null, null];
    if (gm && needs[0]) {
      const wt = permute(view(w, [G, O / G, rows]), [0, 2, 1]);
      const dcols = view(batchedMatmul(wt, gm), [C, kh, kw, N, OH, OW]);
      dx = col2im(dcols, windows, x.shape);
    }
    if (gm && needs[1]) {
      const cols = view(im2col(x, { ...windows, padValue: 0 }), [G, rows, positions]);
      dw = view(batchedMatmul(gm, permute(cols, [0, 2, 1])), w.shape);
    }
    const db = bias && needs[2] ? sum(g, [0, 2, 3]) : null;
    return bias ? [dx, dw, db] : [dx, dw];
  },
};

function checkOperands(x: Tensor, w: Tensor, bias: Tensor | null, a: Conv2dAttrs): void {
  const [N, C] = x.shape;
  const [O, Cg] = w.shape;
  const G = a.groups;
  const ok =
    x.ndim === 4 &&
    w.ndim === 4 &&
    Number.isInteger(G) &&
    G >= 1 &&
    O % G === 0 &&
    Cg * G === C &&
    N >= 1 &&
    (!bias || (bias.ndim === 1 && bias.shape[0] === O && bias.isContiguous)) &&
    w.isContiguous &&
    [x, w, ...(bias ? [bias] : [])].every((t) => t.dtype === "float32");
  if (!ok)
    fail(
      "conv2d",
      `expected a float32 input [N, C, H, W], a contiguous float32 weight [O, C/groups, kh, kw] ` +
        `and bias [O] with groups dividing O; got x ${x.dtype}${fmtShape(x.shape)}, weight ` +
        `${w.dtype}${fmtShape(w.shape)}${bias ? `, bias ${bias.dtype}${fmtShape(bias.shape)}` : ""}, ` +
        `groups ${G}`,
    );
  checkWindows("conv2d", windowsOf(a, w));
}

/** y [N, O, OH, OW], contiguous (see the file comment). */
export const conv2dForward = definePrimitive(
  { name: "conv2d", kind: "compute", method: false, rule: conv2dRule },
  function conv2dForward(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | null,
    attrs: Conv2dAttrs,
  ): Tensor {
    checkOperands(x, weight, bias, attrs);
    const clean: Conv2dAttrs = {
      stride: attrs.stride,
      dilation: attrs.dilation,
      padding: attrs.padding,
      out: attrs.out,
      groups: attrs.groups,
    };
    const inputs = bias ? [x, weight, bias] : [x, weight];
    const shape = [x.shape[0], weight.shape[0], ...attrs.out];
    return run("conv2d", conv2dRule, inputs, clean, { shape, dtype: "float32" });
  },
);
