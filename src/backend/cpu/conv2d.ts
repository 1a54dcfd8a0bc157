// conv2d's forward and backward kernels on the CPU (ops/conv2d.ts has the definitions).
// Native: blocks of one image's output positions laid out as columns in a cache-sized buffer
// and multiplied straight into the NCHW output (backward: ∂w from the same columns, ∂x added
// back through the windows), spread over the addon's threads (kernels/conv.c). Portable: per
// image and channel group, the image's columns are laid out in the WebAssembly GEMM's own
// operand memory (no batch-sized buffer) and the product, split across the GEMM's workers,
// is copied into its place in the output with the bias; backward per image the same way.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { Conv2dAttrs, Conv2dGradAttrs } from "../../ops/conv2d.js";
import type { Im2colAttrs } from "../../ops/windows.js";
import { arrayOf, newOutput } from "./buffer.js";
import { gemm } from "./matmul.js";
import { gemmInto, rowMajor, transposed } from "./gemm-into.js";
import { giveArray, takeArray } from "./pool.js";
import { wasmGemm } from "./wasm/gemm.js";
import { col2imInto, im2colInto } from "./windows.js";
import { nativeKernels } from "./native/native.js";
import { nativeConv2d, nativeConv2dGrad } from "./native/ops.js";

/** How the last conv2d and conv2dGrad ran ("native" or "portable"), for tests and benchmarks. */
export const lastConv2d = { path: "", gradPath: "" };

export function conv2dKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: Conv2dAttrs,
  out: OutputSpec,
): TensorView {
  const size = out.shape.reduce((p, d) => p * d, 1);
  const res = newOutput("float32", out.shape, size, false);
  const y = arrayOf(res) as Float32Array;
  const nk = size > 0 ? nativeKernels() : null;
  if (nk && nativeConv2d(nk, inputs, a, y)) {
    lastConv2d.path = "native";
    return res;
  }
  portableConv2d(inputs, a, y);
  lastConv2d.path = "portable";
  return res;
}

function portableConv2d([x, w, bias]: readonly TensorView[], a: Conv2dAttrs, y: Float32Array) {
  const [N, , H, W] = x.shape;
  const [O, Cg, kh, kw] = w.shape;
  const G = a.groups;
  const [Og, rows, P] = [O / G, Cg * kh * kw, a.out[0] * a.out[1]];
  if (N * O * P === 0) return;
  const windows: Im2colAttrs = { ...a, kernel: [kh, kw], padValue: 0 };
  const ws = wasmGemm(Og, rows, P);
  const A = ws?.A ?? new Float32Array(Og * rows);
  const B = ws?.B ?? new Float32Array(rows * P);
  const Cm = ws?.C ?? new Float32Array(Og * P);
  const wv = arrayOf(w) as Float32Array;
  const b = bias ? (arrayOf(bias) as Float32Array).subarray(bias.offset) : null;
  for (let g = 0; g < G; g++) {
    const w0 = w.offset + g * Og * rows;
    A.set(wv.subarray(w0, w0 + Og * rows));
    for (let n = 0; n < N; n++) {
      // Image n's channels of group g, as a one-image view of x.
      const offset = x.offset + n * x.strides[0] + g * Cg * x.strides[1];
      im2colInto({ ...x, shape: [1, Cg, H, W], offset }, windows, B, 0);
      if (ws) ws.run();
      else {
        Cm.fill(0);
        gemm(A, B, Cm, 0, Og, rows, P);
      }
      for (let o = 0; o < Og; o++) {
        const at = (n * O + g * Og + o) * P;
        const shift = b ? b[g * Og + o] : 0;
        for (let t = 0; t < P; t++) y[at + t] = Cm[o * P + t] + shift;
      }
    }
  }
}

export function conv2dGradKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: Conv2dGradAttrs,
  out: OutputSpec,
): TensorView {
  const x = inputs[0];
  const dxAt = a.inputGrad ? 0 : -1;
  const dwAt = a.weightGrad ? (a.inputGrad ? x.shape.reduce((p, d) => p * d, 1) : 0) : -1;
  const nk = x.shape[0] > 0 ? nativeKernels() : null;
  // ∂x is summed into zeros on the portable path (an empty batch: ∂w stays zero); the native
  // kernel writes every element.
  const res = newOutput("float32", out.shape, out.shape[0], !nk?.conv2dGrad);
  const d = arrayOf(res) as Float32Array;
  if (nk && nativeConv2dGrad(nk, inputs, a, d, [dxAt, dwAt])) {
    lastConv2d.gradPath = "native";
    return res;
  }
  if (nk) d.fill(0);
  if (out.shape[0] > 0) portableConv2dGrad(inputs, a, d, [dxAt, dwAt]);
  lastConv2d.gradPath = "portable";
  return res;
}

/** Per image and group: its columns, ∂w (+)= g·columnsᵀ, ∂x += col2im(Wᵀ·g). */
function portableConv2dGrad(
  [x, w, gy]: readonly TensorView[],
  a: Conv2dAttrs,
  d: Float32Array,
  [dxAt, dwAt]: readonly [number, number],
) {
  const [N, C, H, W] = x.shape;
  const [O, Cg, kh, kw] = w.shape;
  const G = a.groups;
  const [Og, rows, P] = [O / G, Cg * kh * kw, a.out[0] * a.out[1]];
  const windows: Im2colAttrs = { ...a, kernel: [kh, kw], padValue: 0 };
  const image = { ...windows, imageShape: [1, Cg, H, W] };
  const cols = takeArray("float32", rows * P, false) as Float32Array;
  const [wv, gv] = [arrayOf(w), arrayOf(gy)] as Float32Array[];
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++) {
      const gAt = gy.offset + (n * O + g * Og) * P;
      const wAt = w.offset + g * Og * rows;
      if (dwAt >= 0) {
        const offset = x.offset + n * x.strides[0] + g * Cg * x.strides[1];
        im2colInto({ ...x, shape: [1, Cg, H, W], offset }, windows, cols, 0);
        const dims = [Og, P, rows] as const;
        gemmInto(
          rowMajor(gv, gAt, P),
          transposed(cols, 0, P),
          d,
          dwAt + g * Og * rows,
          dims,
          n > 0,
        );
      }
      if (dxAt < 0) continue;
      gemmInto(transposed(wv, wAt, rows), rowMajor(gv, gAt, P), cols, 0, [rows, Og, P], false);
      col2imInto(cols, image, d, dxAt + (n * C + g * Cg) * H * W);
    }
  giveArray("float32", cols);
}
