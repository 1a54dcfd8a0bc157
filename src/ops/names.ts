// The primitive names, derived from the table (table.ts): the unions the backends' kernel
// tables map over, and the same lists at run time.
import { PRIMITIVES, type PrimitiveTable } from "./table.js";
import type { PrimitiveKind } from "./primitive.js";

export type PrimitiveName = keyof PrimitiveTable;

type NamesOfKind<K extends PrimitiveKind> = {
  [N in PrimitiveName]: PrimitiveTable[N]["primitive"]["kind"] extends K ? N : never;
}[PrimitiveName];

export type UnaryOp = NamesOfKind<"unary">;
export type BinaryOp = NamesOfKind<"binary">;
export type ReduceOp = NamesOfKind<"reduce">;
export type ElementwiseOp = UnaryOp | BinaryOp;
/** Primitives that compute new values and so need a kernel on every backend. */
export type ComputeOp = Exclude<PrimitiveName, ViewOp>;
/** Primitives that only reinterpret a buffer (shared storage, no kernel). */
export type ViewOp = NamesOfKind<"view">;

function namesOfKind<K extends PrimitiveKind>(kind: K): NamesOfKind<K>[] {
  return (Object.keys(PRIMITIVES) as PrimitiveName[]).filter(
    (n): n is NamesOfKind<K> => PRIMITIVES[n].primitive.kind === kind,
  );
}

export const UNARY_OPS: readonly UnaryOp[] = namesOfKind("unary");
export const BINARY_OPS: readonly BinaryOp[] = namesOfKind("binary");
export const REDUCE_OPS: readonly ReduceOp[] = namesOfKind("reduce");
