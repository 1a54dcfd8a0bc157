// The scalar-expression vocabulary of elementwise primitives: plain data, no device code. An
// op's row in src/ops carries its CPU expression (a JavaScript string over inputs a, b, c)
// and its WGSL expression (an Expr per compute type); each backend turns them into kernels.

/** The WGSL compute type of a dtype: bool lives on the GPU as u32 (0 or 1). */
export type WgslType = "f32" | "i32" | "u32";

/** A WGSL scalar expression; `bool` marks a WGSL bool result (stored as 0/1). */
export interface Expr {
  readonly code: string;
  readonly bool: boolean;
  /**
   * WGSL functions the expression calls that the shared maths library (webgpu/wgsl.ts) does
   * not have, so a new op's helper can live in the op's own file.
   */
  readonly fns?: string;
}

export const val = (code: string, fns?: string): Expr => ({ code, bool: false, fns });
export const test = (code: string): Expr => ({ code, bool: true });

/** One expression per compute type: float, signed int, and u32 (defaults to the int one). */
export const byType =
  (f: string, i: string, u = i) =>
  (t: WgslType): Expr =>
    val(t === "f32" ? f : t === "i32" ? i : u);

// Comparisons on floats are false whenever a NaN is involved (ne is true), as in IEEE 754;
// spelled out because WGSL compilers may assume there are no NaNs.
export const ORDERED = "!isnan_(a) && !isnan_(b)";
export const compare = (op: string) => (t: WgslType) =>
  test(t === "f32" ? `(a ${op} b && ${ORDERED})` : `a ${op} b`);
