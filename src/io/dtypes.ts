// The safetensors dtype table and the rule for loading other tools' dtypes into ours:
// floating types load as float32 (F16, BF16 and F8 exactly; F64 rounded to nearest, as
// .float() does in PyTorch), integer types as int32 (exactly; a value outside int32's range
// is an error rather than a silent wrap), BOOL as bool.
import type { DType, TypedArray } from "../tensor/dtype.js";
import { fail } from "../tensor/errors.js";

/** In the reference implementation's order: writers sort tensors by this, descending. */
export const SAFETENSORS_DTYPES = [
  "BOOL",
  "U8",
  "I8",
  "F8_E5M2",
  "F8_E4M3",
  "I16",
  "U16",
  "F16",
  "BF16",
  "I32",
  "U32",
  "F32",
  "F64",
  "I64",
  "U64",
] as const;

/** A safetensors dtype name: floats load as float32, integers as int32, BOOL as bool. */
export type SafetensorsDType = (typeof SAFETENSORS_DTYPES)[number];

const SIZES: Record<SafetensorsDType, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export const isSafetensorsDType = (s: unknown): s is SafetensorsDType =>
  typeof s === "string" && (SAFETENSORS_DTYPES as readonly string[]).includes(s);

export const dtypeSize = (d: SafetensorsDType): number => SIZES[d];
export const dtypeRank = (d: SafetensorsDType): number => SAFETENSORS_DTYPES.indexOf(d);

export function toSafetensorsDType(dtype: DType): SafetensorsDType {
  return dtype === "float32" ? "F32" : dtype === "int32" ? "I32" : "BOOL";
}

/** Which of our dtypes a file dtype loads as. */
export function loadedDType(d: SafetensorsDType): DType {
  if (d === "BOOL") return "bool";
  return d.startsWith("F") || d === "BF16" ? "float32" : "int32";
}

/** Decodes `count` little-endian elements of file dtype `d` from `bytes` into our dtype. */
export function decodeElements(
  name: string,
  d: SafetensorsDType,
  bytes: Uint8Array,
  count: number,
): TypedArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (d) {
    case "BOOL":
      return Uint8Array.from(bytes.subarray(0, count), (b) => (b ? 1 : 0));
    case "F32":
      // slice() copies into a fresh, aligned buffer; on little-endian hosts that is the answer
      if (HOST_LITTLE_ENDIAN) return new Float32Array(bytes.slice(0, 4 * count).buffer);
      return fill(new Float32Array(count), (i) => view.getFloat32(4 * i, true));
    case "F64":
      return fill(new Float32Array(count), (i) => view.getFloat64(8 * i, true));
    case "F16":
      return fill(new Float32Array(count), (i) => minifloat(view.getUint16(2 * i, true), 5, 10));
    case "BF16":
      return fill(new Float32Array(count), (i) => bfloat16(view.getUint16(2 * i, true)));
    case "F8_E5M2":
      return fill(new Float32Array(count), (i) => minifloat(bytes[i], 5, 2));
    case "F8_E4M3":
      return fill(new Float32Array(count), (i) => float8e4m3fn(bytes[i]));
    case "U8":
      return Int32Array.from(bytes.subarray(0, count));
    case "I8":
      return fill(new Int32Array(count), (i) => view.getInt8(i));
    case "I16":
      return fill(new Int32Array(count), (i) => view.getInt16(2 * i, true));
    case "U16":
      return fill(new Int32Array(count), (i) => view.getUint16(2 * i, true));
    case "I32":
      if (HOST_LITTLE_ENDIAN) return new Int32Array(bytes.slice(0, 4 * count).buffer);
      return fill(new Int32Array(count), (i) => view.getInt32(4 * i, true));
    case "U32":
      return fill(new Int32Array(count), (i) => checked(name, d, view.getUint32(4 * i, true)));
    case "I64":
      return fill(new Int32Array(count), (i) => checked(name, d, view.getBigInt64(8 * i, true)));
    case "U64":
      return fill(new Int32Array(count), (i) => checked(name, d, view.getBigUint64(8 * i, true)));
  }
}

function fill<A extends Float32Array | Int32Array>(out: A, at: (i: number) => number): A {
  for (let i = 0; i < out.length; i++) out[i] = at(i);
  return out;
}

function checked(name: string, d: SafetensorsDType, v: number | bigint): number {
  if (v > 2147483647 || v < -2147483648)
    fail(
      "io.load",
      `tensor "${name}" (${d}) holds ${v}, outside int32's range [-2147483648, 2147483647]; ` +
        `integer tensors load as int32 only when every value fits`,
    );
  return Number(v);
}

/** IEEE-style binary float with `e` exponent bits and `m` mantissa bits (F16, F8_E5M2). */
function minifloat(bits: number, e: number, m: number): number {
  const sign = bits >> (e + m) ? -1 : 1;
  const exp = (bits >> m) & ((1 << e) - 1);
  const man = bits & ((1 << m) - 1);
  const bias = (1 << (e - 1)) - 1;
  if (exp === (1 << e) - 1) return man ? NaN : sign * Infinity;
  if (exp === 0) return sign * man * 2 ** (1 - bias - m);
  return sign * (1 + man / (1 << m)) * 2 ** (exp - bias);
}

/** float8 e4m3fn: no infinities, only S.1111.111 is NaN, so the top exponent holds numbers. */
function float8e4m3fn(bits: number): number {
  if ((bits & 0x7f) === 0x7f) return NaN;
  const sign = bits & 0x80 ? -1 : 1;
  const exp = (bits >> 3) & 0xf;
  const man = bits & 7;
  if (exp === 0) return sign * man * 2 ** -9;
  return sign * (1 + man / 8) * 2 ** (exp - 7);
}

const bf16Scratch = new DataView(new ArrayBuffer(4));
function bfloat16(bits: number): number {
  bf16Scratch.setUint32(0, bits << 16);
  return bf16Scratch.getFloat32(0);
}

/** Our values as little-endian bytes (the file's byte order on every host). */
export function encodeElements(data: TypedArray): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  if (data instanceof Uint8Array || HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return out;
  }
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array)
    for (let i = 0; i < data.length; i++) view.setFloat32(4 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setInt32(4 * i, data[i], true);
  return out;
}
