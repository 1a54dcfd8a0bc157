// The primitive table: one row per primitive, the only list of them. Each row is the op's
// function form carrying its definition (kind, gradient rule, method form, and for
// elementwise ops the scalar expressions the backends compile). Derived from it: the name
// unions (names.ts), the gradient table below, the method forms and their declarations
// (methods.ts), and the backends' elementwise kernels. A row's definition must have a rule,
// and an elementwise row its CPU and WGSL expressions; the backends' kernel tables are
// mapped types over the names, so a primitive without a kernel on either does not compile.
import type { GradRule } from "../autograd/node.js";
import type { PrimitiveDef } from "./primitive.js";
import * as unary from "./unary.js";
import * as rounding from "./rounding.js";
import * as arithmetic from "./arithmetic.js";
import * as comparison from "./comparison.js";
import * as logical from "./logical.js";
import * as reductions from "./reductions.js";
import * as views from "./views.js";
import * as indexing from "./indexing.js";
import * as windows from "./windows.js";
import { where } from "./where.js";
import { leakyRelu } from "./activations.js";
import { cast, copy } from "./copy.js";
import { cat } from "./cat.js";
import { fusedMap } from "./fused.js";
import { slice, unslice } from "./slice.js";
import { batchedMatmul } from "./matmul.js";
import { cumprod, cumsum } from "./scan.js";
import { argsort } from "./sorting.js";
import { softmaxCrossEntropy, softmaxCrossEntropyGrad } from "./cross-entropy.js";
import { lstmCell, lstmCellGrad } from "./lstm-cell.js";
import { lstmSequence, lstmSequenceGrad } from "./lstm-sequence.js";
import { adagradSteps, adamSteps, rmspropSteps, sgdSteps } from "./optim-steps.js";
import { gruCell, gruCellGrad } from "./gru-cell.js";
import { gruSequence, gruSequenceGrad } from "./gru-sequence.js";
import { batchNormTrain, batchNormTrainGrad, channelMoments } from "./batch-norm.js";
import { conv2dForward, conv2dGrad } from "./conv2d.js";

/** Every row's definition is named by its key (checked at compile time). */
type Rows<T> = { readonly [K in keyof T]: { readonly primitive: PrimitiveDef<K & string> } };
const rows = <T extends Rows<T>>(table: T): T => table;

export const PRIMITIVES = rows({
  neg: unary.neg,
  abs: unary.abs,
  exp: unary.exp,
  log: unary.log,
  sqrt: unary.sqrt,
  sin: unary.sin,
  cos: unary.cos,
  tanh: unary.tanh,
  sigmoid: unary.sigmoid,
  relu: unary.relu,
  sign: unary.sign,
  erf: unary.erf,
  log1p: unary.log1p,
  expm1: unary.expm1,
  floor: rounding.floor,
  ceil: rounding.ceil,
  round: rounding.round,
  logicalNot: logical.logicalNot,
  add: arithmetic.add,
  sub: arithmetic.sub,
  mul: arithmetic.mul,
  div: arithmetic.div,
  pow: arithmetic.pow,
  maximum: arithmetic.maximum,
  minimum: arithmetic.minimum,
  eq: comparison.eq,
  ne: comparison.ne,
  lt: comparison.lt,
  le: comparison.le,
  gt: comparison.gt,
  ge: comparison.ge,
  leakyRelu,
  logicalAnd: logical.logicalAnd,
  logicalOr: logical.logicalOr,
  sum: reductions.sum,
  max: reductions.max,
  min: reductions.min,
  prod: reductions.prod,
  argmax: reductions.argmax,
  argmin: reductions.argmin,
  cumsum,
  cumprod,
  argsort,
  where,
  cast,
  copy,
  matmul: batchedMatmul,
  gather: indexing.gather,
  scatterAdd: indexing.scatterAdd,
  cat,
  unslice,
  im2col: windows.im2col,
  col2im: windows.col2im,
  windowArgmax: windows.windowArgmax,
  fusedMap,
  softmaxCrossEntropy,
  softmaxCrossEntropyGrad,
  lstmCell,
  lstmCellGrad,
  lstmSequence,
  lstmSequenceGrad,
  adamSteps,
  sgdSteps,
  rmspropSteps,
  adagradSteps,
  gruCell,
  gruCellGrad,
  gruSequence,
  gruSequenceGrad,
  channelMoments,
  batchNormTrain,
  batchNormTrainGrad,
  conv2d: conv2dForward,
  conv2dGrad,
  view: views.view,
  permute: views.permute,
  expand: views.expand,
  slice,
});

export type PrimitiveTable = typeof PRIMITIVES;

/** The gradient table: one rule per primitive (a vjp, or null for non-differentiable ops). */
export const gradRules = Object.fromEntries(
  Object.entries(PRIMITIVES).map(([name, row]) => [name, row.primitive.rule]),
) as { readonly [K in keyof PrimitiveTable]: GradRule };
