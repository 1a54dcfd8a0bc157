// Shared dispatch for elementwise primitives: dtype rules, broadcasting, scalar operands, and
// the helpers that define one (unaryOp, binaryOp) from a rule and its kernels' expressions.
import type { GradRule } from "../autograd/node.js";
import { Tensor } from "../tensor/tensor.js";
import type { Device } from "../backend/backend.js";
import type { DType } from "../tensor/dtype.js";
import { fail } from "../tensor/errors.js";
import { broadcastShapes, shapesEqual } from "../tensor/shape.js";
import { asTensor, commonDevice, describe, resultDType, run, type TensorLike } from "./dispatch.js";
import { cast } from "./copy.js";
import type { BinaryOp, UnaryOp } from "./names.js";
import {
  definePrimitive,
  type ElementwiseExprs,
  type Primitive,
  type PrimitiveDef,
} from "./primitive.js";

/** float: computes in float32 (ints promoted); same: keeps the dtype (not bool); bool: logical. */
export type UnaryKind = "float" | "same" | "bool";

export function unary(op: UnaryOp, x: TensorLike, rule: GradRule, kind: UnaryKind): Tensor {
  const device = x instanceof Tensor ? x.device : commonDevice(op, [x]);
  let t = asTensor(op, x, device, x instanceof Tensor ? x.dtype : resultDType([x]));
  const dtype: DType = kind === "float" ? "float32" : kind === "bool" ? "bool" : t.dtype;
  if (kind === "same" && dtype === "bool")
    fail(op, `is not defined for bool tensors (got ${describe(t)})`);
  if (t.dtype !== dtype) t = cast(t, dtype);
  return run(op, rule, [t], undefined, { shape: t.shape, dtype });
}

/**
 * The CPU loops read every operand as a JavaScript number, and a bool's 0 or 1 is exact in
 * any dtype, so a bool operand (relu's gradient mask, a dropout keep mask) skips the cast
 * pass there. Other backends' kernels expect operands of the input dtype.
 */
function needsCast(t: Tensor, inType: DType, device: string): boolean {
  if (t.dtype === inType) return false;
  return !(device === "cpu" && t.dtype === "bool" && inType !== "bool");
}

/**
 * arith: common dtype in and out; float: common float dtype (true division);
 * compare: common dtype in, bool out; logical: bool in and out.
 */
export type BinaryKind = "arith" | "float" | "compare" | "logical";

export function binary(
  op: BinaryOp,
  a: TensorLike,
  b: TensorLike,
  rule: GradRule,
  kind: BinaryKind,
): Tensor {
  const device = commonDevice2(op, a, b);
  const common = resultDType2(a, b);
  const inType: DType = kind === "float" ? "float32" : kind === "logical" ? "bool" : common;
  const outType: DType = kind === "compare" || kind === "logical" ? "bool" : inType;
  let ta = asTensor(op, a, device, inType);
  let tb = asTensor(op, b, device, inType);
  // Equal shapes keep the operand's own frozen array: no broadcast bookkeeping per op.
  const shape = shapesEqual(ta.shape, tb.shape)
    ? ta.shape
    : broadcastShapes(op, ta.shape, tb.shape);
  if (needsCast(ta, inType, device)) ta = cast(ta, inType);
  if (needsCast(tb, inType, device)) tb = cast(tb, inType);
  return run(op, rule, [ta, tb], undefined, { shape, dtype: outType });
}

/** commonDevice of two operands, without the array (binary ops run it on every call). */
function commonDevice2(op: BinaryOp, a: TensorLike, b: TensorLike): Device {
  if (a instanceof Tensor && b instanceof Tensor && a.device === b.device) return a.device;
  return commonDevice(op, [a, b]);
}

/** resultDType of two operands; two tensors of one dtype keep it without the array. */
function resultDType2(a: TensorLike, b: TensorLike): DType {
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype) return a.dtype;
  return resultDType([a, b]);
}

export interface UnaryDef<N extends string = string>
  extends PrimitiveDef<N, "unary">, ElementwiseExprs {
  readonly method: true;
  readonly dtypes: UnaryKind;
}

export interface BinaryDef<N extends string = string>
  extends PrimitiveDef<N, "binary">, ElementwiseExprs {
  readonly method: true;
  readonly dtypes: BinaryKind;
}

export interface ElementwiseSpec<K> extends ElementwiseExprs {
  readonly dtypes: K;
  readonly rule: GradRule;
}

/** An elementwise primitive of one operand: its function form with its definition. */
export function unaryOp<const N extends string>(
  name: N,
  spec: ElementwiseSpec<UnaryKind>,
): Primitive<(x: TensorLike) => Tensor, UnaryDef<N>> {
  const def: UnaryDef<N> = { name, kind: "unary", method: true, ...spec };
  return definePrimitive(def, (x: TensorLike) =>
    unary(name as string as UnaryOp, x, spec.rule, spec.dtypes),
  );
}

/** An elementwise primitive of two broadcast operands: its function form with its definition. */
export function binaryOp<const N extends string>(
  name: N,
  spec: ElementwiseSpec<BinaryKind>,
): Primitive<(a: TensorLike, b: TensorLike) => Tensor, BinaryDef<N>> {
  const def: BinaryDef<N> = { name, kind: "binary", method: true, ...spec };
  return definePrimitive(def, (a: TensorLike, b: TensorLike) =>
    binary(name as string as BinaryOp, a, b, spec.rule, spec.dtypes),
  );
}
