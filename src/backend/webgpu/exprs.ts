// The WGSL expression of every elementwise primitive, per compute type. Inputs are named a,
// b, c. Mapped types over the op names make a missing entry a compile error, as on the CPU.
import type { BinaryOp, UnaryOp } from "../../ops/names.js";
import type { DType } from "../../tensor/dtype.js";
import { wgslType } from "./wgsl.js";

export type WgslType = "f32" | "i32" | "u32";

/** A scalar expression; `bool` marks a WGSL bool result (stored as 0/1). */
export interface Expr {
  readonly code: string;
  readonly bool: boolean;
}

const val = (code: string): Expr => ({ code, bool: false });
const test = (code: string): Expr => ({ code, bool: true });
const byType =
  (f: string, i: string, u = i) =>
  (t: WgslType) =>
    val(t === "f32" ? f : t === "i32" ? i : u);

// Comparisons on floats are false whenever a NaN is involved (ne is true), as in IEEE 754;
// spelled out because WGSL compilers may assume there are no NaNs.
const ordered = "!isnan_(a) && !isnan_(b)";
const compare = (op: string) => (t: WgslType) =>
  test(t === "f32" ? `(a ${op} b && ${ordered})` : `a ${op} b`);

export const UNARY_WGSL: { readonly [K in UnaryOp]: (t: WgslType) => Expr } = {
  neg: () => val("-a"),
  abs: () => val("abs(a)"),
  exp: () => val("expf_(a)"),
  log: () => val("logf_(a)"),
  sqrt: () => val("sqrtf_(a)"),
  sin: () => val("sinf_(a)"),
  cos: () => val("cosf_(a)"),
  tanh: () => val("tanhf_(a)"),
  sigmoid: () => val("sigmoidf_(a)"),
  relu: byType("select(a, 0.0, a <= 0.0 && !isnan_(a))", "max(a, 0)"),
  sign: byType("signf_(a)", "sign(a)"),
  erf: () => val("erff_(a)"),
  logicalNot: () => test("a == 0u"),
};

export const BINARY_WGSL: { readonly [K in BinaryOp]: (t: WgslType) => Expr } = {
  add: () => val("a + b"),
  sub: () => val("a - b"),
  mul: () => val("a * b"),
  div: () => val("a / b"),
  pow: byType("powf_(a, b)", "powi_(a, b)", "u32(powf_(f32(a), f32(b)))"),
  maximum: byType("maxf_(a, b)", "max(a, b)"),
  minimum: byType("minf_(a, b)", "min(a, b)"),
  eq: compare("=="),
  ne: (t) => test(t === "f32" ? `!(a == b && ${ordered})` : "a != b"),
  lt: compare("<"),
  le: compare("<="),
  gt: compare(">"),
  ge: compare(">="),
  logicalAnd: () => test("a != 0u && b != 0u"),
  logicalOr: () => test("a != 0u || b != 0u"),
};

export const WHERE_WGSL: Expr = val("select(c, b, a != 0u)");
export const COPY_WGSL: Expr = val("a");

/** Dtype conversions with the CPU's rules: float to int truncates (wrapping), NaN is true. */
export function castWgsl(from: DType, to: DType): Expr {
  const f = wgslType(from);
  const t = wgslType(to);
  if (f === t) return COPY_WGSL;
  if (t === "u32") return test(f === "f32" ? "(bitcast<u32>(a) & 0x7fffffffu) != 0u" : "a != 0");
  if (f === "f32") return val("f2i_(a)");
  return val(`${t}(a)`);
}

/** The statement value stored for `e` into an output of dtype `out`. */
export function storeValue(e: Expr, out: DType): string {
  if (out !== "bool") return e.code;
  return e.bool ? `bool_(${e.code})` : `bool_((${e.code}) != 0u)`;
}
