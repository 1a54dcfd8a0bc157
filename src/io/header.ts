// Parsing and validating a safetensors header with the reference implementation's checks:
// a sane header length, UTF-8 JSON starting with "{", known dtypes, integer shapes, and
// data offsets that tile the byte buffer exactly (no gaps, no overlaps, nothing left over).
import { fail } from "../tensor/errors.js";
import {
  type SafetensorsDType,
  dtypeSize,
  isSafetensorsDType,
  SAFETENSORS_DTYPES,
} from "./dtypes.js";

const OP = "io.fromSafetensors";
const MAX_HEADER_BYTES = 100_000_000;

export interface HeaderEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  dataOffsets: [number, number];
}

export interface ParsedHeader {
  metadata: Record<string, string> | null;
  /** Sorted by data offset (file order). */
  tensors: HeaderEntry[];
  /** Byte index where the data buffer starts: 8 + N. */
  dataStart: number;
}

export function parseHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8) fail(OP, `${bytes.length} bytes is too short for a safetensors file`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER_BYTES)
    fail(OP, `header length ${n} exceeds the format's limit of ${MAX_HEADER_BYTES} bytes`);
  if (8 + n > bytes.length)
    fail(OP, `header length ${n} runs past the end of the ${bytes.length}-byte buffer`);
  const json = decodeUtf8(bytes.subarray(8, 8 + n));
  if (!json.startsWith("{")) fail(OP, `the header must be a JSON object starting with "{"`);
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    fail(OP, `the header is not valid JSON: ${(err as Error).message}`);
  }
  const record = raw as Record<string, unknown>;
  const metadata = readMetadata(record["__metadata__"]);
  const tensors = Object.keys(record)
    .filter((k) => k !== "__metadata__")
    .map((name) => readEntry(name, record[name]));
  tensors.sort(
    (a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1],
  );
  checkTiling(tensors, bytes.length - 8 - n);
  return { metadata, tensors, dataStart: 8 + n };
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    fail(OP, "the header is not valid UTF-8");
  }
}

function readMetadata(value: unknown): Record<string, string> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "object" || Array.isArray(value))
    fail(OP, `"__metadata__" must be an object of strings, got ${JSON.stringify(value)}`);
  for (const [k, v] of Object.entries(value as object))
    if (typeof v !== "string")
      fail(OP, `"__metadata__" values must be strings; "${k}" is ${JSON.stringify(v)}`);
  return Object.assign(Object.create(null) as Record<string, string>, value);
}

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function readEntry(name: string, value: unknown): HeaderEntry {
  const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
  if (!info || typeof info !== "object")
    fail(
      OP,
      `tensor "${name}": expected {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`,
    );
  if (!isSafetensorsDType(info.dtype))
    fail(
      OP,
      `tensor "${name}": unknown dtype ${JSON.stringify(info.dtype)}; ` +
        `expected one of ${SAFETENSORS_DTYPES.join(", ")}`,
    );
  const shape = info.shape;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    fail(
      OP,
      `tensor "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  const offsets = info.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex))
    fail(OP, `tensor "${name}": data_offsets must be [begin, end], got ${JSON.stringify(offsets)}`);
  return { name, dtype: info.dtype, shape: [...shape], dataOffsets: [offsets[0], offsets[1]] };
}

function checkTiling(tensors: HeaderEntry[], bufferBytes: number): void {
  let expectedStart = 0;
  for (const e of tensors) {
    const [begin, end] = e.dataOffsets;
    if (begin !== expectedStart || end < begin)
      fail(
        OP,
        `tensor "${e.name}": data_offsets [${begin}, ${end}] do not continue from byte ` +
          `${expectedStart} (offsets must tile the data buffer without gaps or overlaps)`,
      );
    const count = e.shape.reduce((a, b) => a * b, 1);
    const nbytes = count * dtypeSize(e.dtype);
    if (end - begin !== nbytes)
      fail(
        OP,
        `tensor "${e.name}": ${e.dtype} of shape [${e.shape.join(", ")}] needs ${nbytes} bytes, ` +
          `data_offsets [${begin}, ${end}] give ${end - begin}`,
      );
    expectedStart = end;
  }
  if (expectedStart !== bufferBytes)
    fail(
      OP,
      `the tensors cover ${expectedStart} bytes of data but the buffer holds ${bufferBytes} ` +
        `(the last offset must be the end of the file)`,
    );
}
