// The WebGPU kernel table: complete (a mapped type over the primitive names), so a missing
// kernel is a compile error rather than a silent CPU fallback. Elementwise kernels come from
// the op table's rows.
import type { Kernel, KernelTable } from "../../registry.js";
import { BINARY_OPS, UNARY_OPS, type ElementwiseOp } from "../../../ops/names.js";
import { PRIMITIVES } from "../../../ops/table.js";
import { COPY_WGSL, WHERE_WGSL, castWgsl } from "../exprs.js";
import { val } from "../../exprs.js";
import type { FusedExpr } from "../../../ops/fused.js";
import { wgslType } from "../wgsl.js";
import { mapKernel } from "./map.js";
import { catKernel, unsliceKernel } from "./layout.js";
import { reduceKernel } from "./reduce.js";
import { matmulKernel } from "./matmul.js";
import { gatherKernel, scatterAddKernel } from "./indexing.js";
import { col2imKernel, im2colKernel, windowArgmaxKernel } from "./windows.js";
import { argsortKernel, scanKernel } from "./scan-sort.js";
import { crossEntropyGradKernel, crossEntropyKernel } from "./cross-entropy.js";
import { lstmCellGradKernel, lstmCellKernel } from "./lstm-cell.js";
import {
  adagradStepsKernel,
  adamStepsKernel,
  rmspropStepsKernel,
  sgdStepsKernel,
} from "./optim-steps.js";
import { gruCellGradKernel, gruCellKernel } from "./gru-cell.js";
import {
  batchNormTrainGradKernel,
  batchNormTrainKernel,
  channelMomentsKernel,
} from "./batch-norm.js";

/**
 * One map program per elementwise row of the op table, from the row's WGSL expression for the
 * first input's compute type (binary operands share a dtype by then).
 */
function elementwiseKernels(): Pick<KernelTable, ElementwiseOp> {
  const table: Partial<Record<ElementwiseOp, Kernel>> = {};
  for (const op of [...UNARY_OPS, ...BINARY_OPS]) {
    const { wgsl } = PRIMITIVES[op].primitive;
    table[op] = mapKernel(([x]) => wgsl(wgslType(x.dtype)));
  }
  return table as Pick<KernelTable, ElementwiseOp>;
}

// The whole-sequence LSTM and GRU (ops/lstm-sequence.ts, ops/gru-sequence.ts) have CPU kernels
// only: on WebGPU the recurrent layers compose each step from matmul and the fused cell instead
// (nn/functional/rnn-sequence.ts asks getKernel), where a step's kernels queue without waiting
// for each other. So have conv2d's primitives (ops/conv2d.ts): WebGPU runs the composed im2col
// and matmul both ways (nn/functional/conv.ts asks getKernel).
type CpuOnlyOp =
  "lstmSequence" | "lstmSequenceGrad" | "gruSequence" | "gruSequenceGrad" | "conv2d" | "conv2dGrad";

export const webgpuKernels: Omit<KernelTable, CpuOnlyOp> = {
  ...elementwiseKernels(),
  where: mapKernel(() => WHERE_WGSL),
  cast: mapKernel(([x], out) => castWgsl(x.dtype, out.dtype)),
  copy: mapKernel(() => COPY_WGSL),
  sum: reduceKernel("sum"),
  max: reduceKernel("max"),
  min: reduceKernel("min"),
  prod: reduceKernel("prod"),
  argmax: reduceKernel("argmax"),
  argmin: reduceKernel("argmin"),
  cumsum: scanKernel("sum"),
  cumprod: scanKernel("prod"),
  argsort: argsortKernel,
  matmul: matmulKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  cat: catKernel,
  unslice: unsliceKernel,
  im2col: im2colKernel,
  col2im: col2imKernel,
  windowArgmax: windowArgmaxKernel,
  fusedMap: mapKernel((_inputs, _out, attrs) => val((attrs as FusedExpr).wgsl)),
  softmaxCrossEntropy: crossEntropyKernel,
  softmaxCrossEntropyGrad: crossEntropyGradKernel,
  lstmCell: lstmCellKernel,
  lstmCellGrad: lstmCellGradKernel,
  adamSteps: adamStepsKernel,
  sgdSteps: sgdStepsKernel,
  rmspropSteps: rmspropStepsKernel,
  adagradSteps: adagradStepsKernel,
  gruCell: gruCellKernel,
  gruCellGrad: gruCellGradKernel,
  channelMoments: channelMomentsKernel,
  batchNormTrain: batchNormTrainKernel,
  batchNormTrainGrad: batchNormTrainGradKernel,
};
