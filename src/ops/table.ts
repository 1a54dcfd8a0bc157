// The gradient table: one rule per primitive. A mapped type over PrimitiveName, so adding a
// primitive without deciding its gradient (a vjp, or null for non-differentiable ops) fails
// to compile.
import type { GradRule } from "../autograd/node.js";
import type { PrimitiveName } from "./names.js";
import { negRule } from "./neg.js";
import { absRule } from "./abs.js";
import { expRule } from "./exp.js";
import { logRule } from "./log.js";
import { sqrtRule } from "./sqrt.js";
import { sinRule } from "./sin.js";
import { cosRule } from "./cos.js";
import { tanhRule } from "./tanh.js";
import { sigmoidRule } from "./sigmoid.js";
import { reluRule } from "./relu.js";
import { signRule } from "./sign.js";
import { erfRule } from "./erf.js";
import { logicalNotRule } from "./logicalNot.js";
import { addRule } from "./add.js";
import { subRule } from "./sub.js";
import { mulRule } from "./mul.js";
import { divRule } from "./div.js";
import { powRule } from "./pow.js";
import { maximumRule } from "./maximum.js";
import { minimumRule } from "./minimum.js";
import { eqRule } from "./eq.js";
import { neRule } from "./ne.js";
import { ltRule } from "./lt.js";
import { leRule } from "./le.js";
import { gtRule } from "./gt.js";
import { geRule } from "./ge.js";
import { logicalAndRule } from "./logicalAnd.js";
import { logicalOrRule } from "./logicalOr.js";
import { sumRule } from "./sum.js";
import { maxRule } from "./max.js";
import { minRule } from "./min.js";
import { prodRule } from "./prod.js";
import { argmaxRule } from "./argmax.js";
import { argminRule } from "./argmin.js";
import { whereRule } from "./where.js";
import { castRule } from "./cast.js";
import { copyRule } from "./copy.js";
import { matmulRule } from "./matmul.js";
import { gatherRule } from "./gather.js";
import { scatterAddRule } from "./scatterAdd.js";
import { catRule } from "./cat.js";
import { unsliceRule } from "./unslice.js";
import { im2colRule } from "./im2col.js";
import { col2imRule } from "./col2im.js";
import { viewRule } from "./view.js";
import { permuteRule } from "./permute.js";
import { expandRule } from "./expand.js";
import { sliceRule } from "./slice.js";

export const gradRules: { readonly [K in PrimitiveName]: GradRule } = {
  neg: negRule,
  abs: absRule,
  exp: expRule,
  log: logRule,
  sqrt: sqrtRule,
  sin: sinRule,
  cos: cosRule,
  tanh: tanhRule,
  sigmoid: sigmoidRule,
  relu: reluRule,
  sign: signRule,
  erf: erfRule,
  logicalNot: logicalNotRule,
  add: addRule,
  sub: subRule,
  mul: mulRule,
  div: divRule,
  pow: powRule,
  maximum: maximumRule,
  minimum: minimumRule,
  eq: eqRule,
  ne: neRule,
  lt: ltRule,
  le: leRule,
  gt: gtRule,
  ge: geRule,
  logicalAnd: logicalAndRule,
  logicalOr: logicalOrRule,
  sum: sumRule,
  max: maxRule,
  min: minRule,
  prod: prodRule,
  argmax: argmaxRule,
  argmin: argminRule,
  where: whereRule,
  cast: castRule,
  copy: copyRule,
  matmul: matmulRule,
  gather: gatherRule,
  scatterAdd: scatterAddRule,
  cat: catRule,
  unslice: unsliceRule,
  im2col: im2colRule,
  col2im: col2imRule,
  view: viewRule,
  permute: permuteRule,
  expand: expandRule,
  slice: sliceRule,
};
