// Data types and their storage arrays. bool is stored one byte per element (0 or 1).
import { fail } from "./errors.js";

/** Element types: float32, int32 and bool (PyTorch's default float, int and bool). */
export type DType = "float32" | "int32" | "bool";
/** The typed array holding each dtype's values (bool as Uint8Array). */
export type TypedArray = Float32Array | Int32Array | Uint8Array;

export const DTYPES: readonly DType[] = ["float32", "int32", "bool"];

export function bytesPerElement(dtype: DType): number {
  return dtype === "bool" ? 1 : 4;
}

export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(size);
    case "int32":
      return new Int32Array(size);
    case "bool":
      return new Uint8Array(size);
  }
}

export function isFloat(dtype: DType): boolean {
  return dtype === "float32";
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The common dtype of two operands (PyTorch's promotion restricted to our three dtypes). */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

export function assertDType(value: unknown, where: string): DType {
  if (value === "float32" || value === "int32" || value === "bool") return value;
  fail(where, `unknown dtype ${String(value)}; expected "float32", "int32" or "bool"`);
}
