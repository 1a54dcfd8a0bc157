// The WebGPU kernel table: complete (a mapped type over the primitive names), so a missing
// kernel is a compile error rather than a silent CPU fallback.
import type { KernelTable } from "../../registry.js";
import { BINARY_OPS, UNARY_OPS, type BinaryOp, type UnaryOp } from "../../../ops/names.js";
import { BINARY_WGSL, COPY_WGSL, UNARY_WGSL, WHERE_WGSL, castWgsl } from "../exprs.js";
import { wgslType } from "../wgsl.js";
import { mapKernel } from "./map.js";
import { catKernel, unsliceKernel } from "./layout.js";
import { reduceKernel } from "./reduce.js";
import { matmulKernel } from "./matmul.js";
import { gatherKernel, scatterAddKernel } from "./indexing.js";
import { col2imKernel, im2colKernel } from "./windows.js";

type ElementwiseOp = UnaryOp | BinaryOp;

function elementwiseKernels(): Pick<KernelTable, ElementwiseOp> {
  const table: Partial<Record<ElementwiseOp, KernelTable[ElementwiseOp]>> = {};
  for (const op of UNARY_OPS) table[op] = mapKernel(([x]) => UNARY_WGSL[op](wgslType(x.dtype)));
  for (const op of BINARY_OPS) table[op] = mapKernel(([a]) => BINARY_WGSL[op](wgslType(a.dtype)));
  return table as Pick<KernelTable, ElementwiseOp>;
}

export const webgpuKernels: KernelTable = {
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
  matmul: matmulKernel,
  gather: gatherKernel,
  scatterAdd: scatterAddKernel,
  cat: catKernel,
  unslice: unsliceKernel,
  im2col: im2colKernel,
  col2im: col2imKernel,
};
