// conv2d's forward pass as one primitive, where the backend has its kernel (the CPU): x [N, C,
// H, W], weight [O, C/G, kh, kw] and an optional bias [O] → y [N, O, OH, OW] contiguous, with
//   y[n, o, oh, ow] = b[o] + Σ_{c, i, j} w[o, c, i, j] · x[n, g·C/G + c, oh·sh − pt + i·dh, ow·sw − pl + j·dw]
// (g = o's group, x zero outside the image). The composed path (nn/functional/conv.ts) lays
// out the whole batch's windows with im2col and multiplies once, which writes and reads back
// columns kh·kw times the input's size and yields a channel-major product read through a
// permuted view; the kernel instead works a block of one image's output positions at a time
// (backend/cpu/conv2d.ts). The backward pass is conv2dGrad over the same blocks (∂x and ∂w in
// one kernel, no batch-sized columns or permuted copy of g) and a sum for ∂b; a backward pass
// that records a graph (createGraph) composes it from the ops the composed path records
// (im2col, matmul, col2im, sum), which mean the same and can themselves be differentiated.
import type { GradRule } from "../autograd/node.js";
import type { Tensor } from "../tensor/tensor.js";
import { isGradEnabled } from "../autograd/mode.js";
import { getKernel } from "../backend/registry.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { run } from "./dispatch.js";
import { definePrimitive } from "./primitive.js";
import { batchedMatmul } from "./matmul.js";
import { sum } from "./reductions.js";
import { slice } from "./slice.js";
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

/** Which of ∂x and ∂w conv2dGrad computes (its output holds those, in that order). */
export interface Conv2dGradAttrs extends Conv2dAttrs {
  readonly inputGrad: boolean;
  readonly weightGrad: boolean;
}

/** ∂x and ∂w from ops that record a graph (see the file comment). */
function composedGrad(x: Tensor, w: Tensor, g: Tensor, a: Conv2dAttrs, needs: readonly boolean[]) {
  const [N, C] = x.shape;
  const [O, Cg, kh, kw] = w.shape;
  const G = a.groups;
  const [OH, OW] = a.out;
  const [rows, positions] = [Cg * kh * kw, N * OH * OW];
  const windows = windowsOf(a, w);
  // g [N, O, OH, OW] channel-major, [G, O/G, N·OH·OW]: the columns' layout.
  const gm = view(permute(g, [1, 0, 2, 3]).contiguous(), [G, O / G, positions]);
  let [dx, dw]: (Tensor | null)[] = [null, null];
  if (needs[0]) {
    const wt = permute(view(w, [G, O / G, rows]), [0, 2, 1]);
    const dcols = view(batchedMatmul(wt, gm), [C, kh, kw, N, OH, OW]);
    dx = col2im(dcols, windows, x.shape);
  }
  if (needs[1]) {
    const cols = view(im2col(x, { ...windows, padValue: 0 }), [G, rows, positions]);
    dw = view(batchedMatmul(gm, permute(cols, [0, 2, 1])), w.shape);
  }
  return [dx, dw];
}

/** ∂x and ∂w from conv2dGrad's flat output. */
function fusedGrad(x: Tensor, w: Tensor, g: Tensor, a: Conv2dAttrs, needs: readonly boolean[]) {
  const [inputGrad, weightGrad] = [needs[0], needs[1]];
  const flat = conv2dGrad(x, w, g.contiguous(), { ...a, inputGrad, weightGrad });
  const part = (start: number, shape: readonly number[]) =>
    view(
      slice(flat, { starts: [start], sizes: [shape.reduce((p, d) => p * d, 1)], steps: [1] }),
      shape,
    );
  return [
    inputGrad ? part(0, x.shape) : null,
    weightGrad ? part(inputGrad ? x.size : 0, w.shape) : null,
  ];
}

const conv2dRule: GradRule<Conv2dAttrs> = {
  savesInputs: true,
  vjp: (g, { inputs: [x, w, bias], attrs, needs }) => {
    const fused = !isGradEnabled() && getKernel("conv2dGrad", g.device) !== undefined;
    const [dx, dw] =
      needs[0] || needs[1]
        ? (fused ? fusedGrad : composedGrad)(x, w, g, attrs, needs)
        : [null, null];
    const db = bias && needs[2] ? sum(g, [0, 2, 3]) : null;
    return bias ? [dx, dw, db] : [dx, dw];
  },
};

const notDifferentiable: GradRule = { savesInputs: false, savesOutput: false, vjp: null };

function checkOperands(
  op: string,
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  a: Conv2dAttrs,
): void {
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
    N >= 0 &&
    (!bias || (bias.ndim === 1 && bias.shape[0] === O && bias.isContiguous)) &&
    w.isContiguous &&
    [x, w, ...(bias ? [bias] : [])].every((t) => t.dtype === "float32");
  if (!ok)
    fail(
      op,
      `expected a float32 input [N, C, H, W], a contiguous float32 weight [O, C/groups, kh, kw] ` +
        `and bias [O] with groups dividing O; got x ${x.dtype}${fmtShape(x.shape)}, weight ` +
        `${w.dtype}${fmtShape(w.shape)}${bias ? `, bias ${bias.dtype}${fmtShape(bias.shape)}` : ""}, ` +
        `groups ${G}`,
    );
  checkWindows(op, windowsOf(a, w));
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
    checkOperands("conv2d", x, weight, bias, attrs);
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

/**
 * conv2d's ∂x [N, C, H, W] (when attrs.inputGrad) and ∂w (weight's shape, when
 * attrs.weightGrad) for the contiguous output gradient g, flattened into one tensor in that
 * order. Not differentiable.
 */
export const conv2dGrad = definePrimitive(
  { name: "conv2dGrad", kind: "compute", method: false, rule: notDifferentiable },
  function conv2dGrad(x: Tensor, weight: Tensor, g: Tensor, attrs: Conv2dGradAttrs): Tensor {
    checkOperands("conv2dGrad", x, weight, null, attrs);
    const out = [x.shape[0], weight.shape[0], ...attrs.out];
    if (g.dtype !== "float32" || !g.isContiguous || g.shape.join() !== out.join())
      fail(
        "conv2dGrad",
        `expected a contiguous float32 gradient ${fmtShape(out)}, got ${g.dtype}${fmtShape(g.shape)}`,
      );
    const clean: Conv2dGradAttrs = {
      stride: attrs.stride,
      dilation: attrs.dilation,
      padding: attrs.padding,
      out: attrs.out,
      groups: attrs.groups,
      inputGrad: attrs.inputGrad,
      weightGrad: attrs.weightGrad,
    };
    const size = (attrs.inputGrad ? x.size : 0) + (attrs.weightGrad ? weight.size : 0);
    return run("conv2dGrad", notDifferentiable, [x, weight, g], clean, {
      shape: [size],
      dtype: "float32",
    });
  },
);
