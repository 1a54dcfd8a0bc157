// What a primitive is: its function form with its definition attached (name, kind, gradient
// rule, whether tensors get a method form, and for elementwise primitives the scalar
// expression every backend compiles). The table in table.ts lists them; names, method forms,
// gradient rules and the backends' elementwise kernels are all derived from it.
import type { GradRule } from "../autograd/node.js";
import type { Expr, WgslType } from "../backend/exprs.js";

/**
 * unary/binary: elementwise, kernels from the row's expressions; reduce: reductions over dims;
 * compute: any other op with a kernel per backend; view: rewrites shape/strides, no kernel.
 */
export type PrimitiveKind = "unary" | "binary" | "reduce" | "compute" | "view";

export interface PrimitiveDef<N extends string = string, K extends PrimitiveKind = PrimitiveKind> {
  readonly name: N;
  readonly kind: K;
  /** The vjp (or null for a non-differentiable op), side by side with the forward. */
  readonly rule: GradRule<any>;
  /** Whether tensors get the method form `x.name(...rest)` (see methods.ts). */
  readonly method: boolean;
}

/** The scalar expressions an elementwise primitive's kernels compute. */
export interface ElementwiseExprs {
  /** JavaScript over the inputs a, b, inlined into the CPU loop engine. */
  readonly cpu: string;
  /** WGSL for a compute type (f32, i32, or u32 for bool), inlined into the map program. */
  readonly wgsl: (t: WgslType) => Expr;
}

/** A function form carrying its definition. */
export type Primitive<F, D extends PrimitiveDef = PrimitiveDef> = F & { readonly primitive: D };

// F is constrained to Function, not a call signature: a signature would contextually type the
// forward's parameters, and `keepdim = false` would then not be inferred as boolean.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function definePrimitive<F extends Function, const D extends PrimitiveDef>(
  def: D,
  fn: F,
): Primitive<F, D> {
  return Object.assign(fn, { primitive: def });
}
