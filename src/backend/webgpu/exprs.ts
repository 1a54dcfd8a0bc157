// The WGSL expressions of the non-table elementwise programs (where, copy, cast) and how an
// expression's value is stored. The elementwise primitives' own expressions live in their
// rows in src/ops (see backend/exprs.ts for the vocabulary).
import type { DType } from "../../tensor/dtype.js";
import { type Expr, test, val } from "../exprs.js";
import { wgslType } from "./wgsl.js";

export type { Expr, WgslType } from "../exprs.js";

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
