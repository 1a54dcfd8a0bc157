// The CPU backend: typed-array buffers, synchronous where that cannot block, and a complete
// kernel table (the mapped type KernelTable makes a missing kernel a compile error).
import type { AdapterInfo, Backend, BackendBuffer } from "../backend.js";
import type { Kernel, KernelTable } from "../registry.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { giveArray, takeArray } from "./pool.js";
import { BINARY_OPS, UNARY_OPS, type ElementwiseOp } from "../../ops/names.js";
import { PRIMITIVES } from "../../ops/table.js";
import type { FusedExpr } from "../../ops/fused.js";
import { CpuBuffer } from "./buffer.js";
import { counterUniform } from "../../tensor/random.js";
import { castKernel, catKernel, mapKernel, reluKernel, unsliceKernel } from "./elementwise.js";
import { reduceKernel } from "./reduce.js";
import { matmulKernel } from "./matmul.js";
import { gatherKernel, scatterAddKernel } from "./indexing.js";
import { col2imKernel, im2colKernel } from "./windows.js";
import { windowArgmaxKernel } from "./window-argmax.js";
import { argsortKernel, scanKernel } from "./scan-sort.js";
import { crossEntropyGradKernel, crossEntropyKernel } from "./cross-entropy.js";
import { lstmCellGradKernel, lstmCellKernel } from "./lstm-cell.js";
import { lstmSequenceGradKernel, lstmSequenceKernel } from "./lstm-sequence.js";
import { gruSequenceGradKernel, gruSequenceKernel } from "./gru-sequence.js";
import {
  adagradStepsKernel,
  adamStepsKernel,
  rmspropStepsKernel,
  sgdStepsKernel,
} from "./optim-steps.js";
import { gruCellGradKernel, gruCellKernel } from "./gru-cell.js";
import { withNative } from "./native/elementwise.js";
import { withNativeCopy } from "./native/copy.js";
import { conv2dGradKernel, conv2dKernel } from "./conv2d.js";
import {
  batchNormTrainGradKernel,
  batchNormTrainKernel,
  channelMomentsKernel,
} from "./batch-norm.js";

export class CpuBackend implements Backend {
  readonly device = "cpu" as const;
  readonly gcFreesBuffers = true;

  alloc(dtype: DType, length: number): BackendBuffer {
    return new CpuBuffer(dtype, takeArray(dtype, length, true));
  }
  /**
   * Called for explicitly disposed storages only; the rest are left to the garbage collector.
   * A deferred buffer nobody read is never computed; an array a deferred chain still reads is
   * left to the garbage collector too, since the next kernel output would overwrite it.
   */
  free(buffer: BackendBuffer): void {
    const b = buffer as CpuBuffer;
    if (b.pending) {
      b.pending.drop();
      b.pending = null;
    } else if (b.readers === 0) giveArray(b.dtype, b.data);
  }
  write(buffer: BackendBuffer, data: TypedArray): void {
    (buffer as CpuBuffer).data.set(data);
  }
  fillUniform(buffer: BackendBuffer, key: readonly [number, number]): void {
    const data = (buffer as CpuBuffer).data;
    for (let i = 0; i < data.length; i++) data[i] = counterUniform(key, i);
  }
  readSync(buffer: BackendBuffer, start: number, length: number): TypedArray {
    return (buffer as CpuBuffer).data.slice(start, start + length);
  }
  async read(buffer: BackendBuffer, start: number, length: number): Promise<TypedArray> {
    return this.readSync(buffer, start, length);
  }
  async sync(): Promise<void> {}
  info(): AdapterInfo {
    return { vendor: "cpu", description: "TypeScript kernels on typed arrays" };
  }
}

/**
 * One loop kernel per elementwise row of the op table, from the row's CPU expression (behind
 * the native kernel where the addon has one).
 */
function elementwiseKernels(): Pick<KernelTable, ElementwiseOp> {
  const table: Partial<Record<ElementwiseOp, Kernel>> = {};
  for (const op of [...UNARY_OPS, ...BINARY_OPS])
    table[op] = withNative(op, mapKernel(PRIMITIVES[op].primitive.cpu));
  return table as Pick<KernelTable, ElementwiseOp>;
}

/** The complete CPU kernel table (built on first use: it reads the op table). */
export function cpuKernels(): KernelTable {
  return (kernels ??= {
    ...elementwiseKernels(),
    relu: withNative("relu", reluKernel),
    where: withNative("where", mapKernel("(a ? b : c)")),
    cast: castKernel,
    copy: withNativeCopy(mapKernel("a")),
    sum: withNative("sum", reduceKernel("sum")),
    max: withNative("max", reduceKernel("max")),
    min: withNative("min", reduceKernel("min")),
    prod: reduceKernel("prod"),
    argmax: withNative("argmax", reduceKernel("argmax")),
    argmin: withNative("argmin", reduceKernel("argmin")),
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
    fusedMap: withNative("fusedMap", (b, inputs, attrs, out) =>
      mapKernel((attrs as FusedExpr).cpu)(b, inputs, attrs, out),
    ),
    softmaxCrossEntropy: crossEntropyKernel,
    softmaxCrossEntropyGrad: crossEntropyGradKernel,
    lstmCell: lstmCellKernel,
    lstmCellGrad: lstmCellGradKernel,
    lstmSequence: lstmSequenceKernel,
    lstmSequenceGrad: lstmSequenceGradKernel,
    adamSteps: adamStepsKernel,
    sgdSteps: sgdStepsKernel,
    rmspropSteps: rmspropStepsKernel,
    adagradSteps: adagradStepsKernel,
    gruCell: gruCellKernel,
    gruCellGrad: gruCellGradKernel,
    gruSequence: gruSequenceKernel,
    gruSequenceGrad: gruSequenceGradKernel,
    channelMoments: channelMomentsKernel,
    batchNormTrain: batchNormTrainKernel,
    batchNormTrainGrad: batchNormTrainGradKernel,
    conv2d: conv2dKernel,
    conv2dGrad: conv2dGradKernel,
  });
}

let kernels: KernelTable | undefined;

export const cpuBackend = new CpuBackend();
