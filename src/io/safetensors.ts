// The safetensors format (https://github.com/huggingface/safetensors, "Format"): 8 bytes of
// little-endian u64 header length N, N bytes of UTF-8 JSON mapping each tensor name to
// {"dtype","shape","data_offsets"} (offsets relative to the byte buffer) plus an optional
// "__metadata__" map of strings, then the byte buffer, row-major and little-endian.
// The writer reproduces the reference implementation byte for byte: tensors sorted by
// descending dtype alignment then by name, compact JSON with __metadata__ first, the header
// padded with spaces to a multiple of 8 so that every tensor starts aligned.
import type { Device } from "../backend/backend.js";
import { fromArray } from "../tensor/create.js";
import { fail } from "../tensor/errors.js";
import { Tensor } from "../tensor/tensor.js";
import {
  type SafetensorsDType,
  decodeElements,
  dtypeRank,
  encodeElements,
  toSafetensorsDType,
} from "./dtypes.js";
import { parseHeader } from "./header.js";

/** Named tensors: what Module.stateDict() returns (a Map is accepted too). */
export type StateDict = Record<string, Tensor> | Map<string, Tensor>;

/** Options of {@link save} and {@link toSafetensors}. */
export interface SaveOptions {
  /** Free-form string pairs stored under "__metadata__" (e.g. { format: "pt" }). */
  metadata?: Record<string, string>;
}

/** Options of {@link load} and {@link fromSafetensors}. */
export interface LoadOptions {
  /** Where the loaded tensors live (default: the current default device). */
  device?: Device;
}

function entriesOf(op: string, stateDict: StateDict): [string, Tensor][] {
  if (stateDict === null || typeof stateDict !== "object")
    fail(op, `expected a Record<string, Tensor> or Map<string, Tensor>, got ${String(stateDict)}`);
  const entries = stateDict instanceof Map ? [...stateDict.entries()] : Object.entries(stateDict);
  for (const [name, t] of entries) {
    if (!(t instanceof Tensor))
      fail(
        op,
        `entry "${name}" is not a Tensor (got ${typeof t}); a state dict maps names to tensors`,
      );
    if (name === "" || name === "__metadata__")
      fail(op, `"${name}" cannot be a tensor name (empty, or reserved by the format)`);
  }
  return entries;
}

function checkMetadata(op: string, metadata: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(metadata ?? {}))
    if (typeof v !== "string") fail(op, `metadata values must be strings, "${k}" is ${typeof v}`);
}

/** Orders strings as Rust's str::cmp does: by UTF-8 bytes, i.e. by code point. */
function compareCodePoints(a: string, b: string): number {
  const ca = Array.from(a, (c) => c.codePointAt(0)!);
  const cb = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(ca.length, cb.length); i++)
    if (ca[i] !== cb[i]) return ca[i] - cb[i];
  return ca.length - cb.length;
}

/** Serialises named tensors to safetensors bytes (async: tensors may live on a GPU). */
export async function toSafetensors(
  stateDict: StateDict,
  opts: SaveOptions = {},
): Promise<Uint8Array> {
  const op = "io.toSafetensors";
  checkMetadata(op, opts.metadata);
  const entries = entriesOf(op, stateDict).map(([name, t]) => ({
    name,
    tensor: t,
    dtype: toSafetensorsDType(t.dtype),
  }));
  entries.sort(
    (a, b) => dtypeRank(b.dtype) - dtypeRank(a.dtype) || compareCodePoints(a.name, b.name),
  );
  const payloads = await Promise.all(entries.map((e) => e.tensor.data().then(encodeElements)));
  const parts: string[] = [];
  if (opts.metadata && Object.keys(opts.metadata).length)
    parts.push(`"__metadata__":${objectJson(opts.metadata)}`);
  let offset = 0;
  entries.forEach((e, i) => {
    const end = offset + payloads[i].byteLength;
    const info = `{"dtype":"${e.dtype}","shape":[${e.tensor.shape.join(",")}],"data_offsets":[${offset},${end}]}`;
    parts.push(`${JSON.stringify(e.name)}:${info}`);
    offset = end;
  });
  return assemble(`{${parts.join(",")}}`, payloads, offset);
}

/** A JSON object with keys in insertion order (JSON.stringify moves integer-like keys first). */
function objectJson(map: Record<string, string>): string {
  const body = Object.keys(map).map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`);
  return `{${body.join(",")}}`;
}

function assemble(headerJson: string, payloads: Uint8Array[], dataBytes: number): Uint8Array {
  const raw = new TextEncoder().encode(headerJson);
  const n = raw.length + ((8 - (raw.length % 8)) % 8);
  const out = new Uint8Array(8 + n + dataBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(raw, 8);
  out.fill(0x20, 8 + raw.length, 8 + n);
  let at = 8 + n;
  for (const p of payloads) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Reads safetensors bytes into tensors, in file order. Dtypes we do not have are converted
 * by the rule in io/dtypes.ts (floats to float32, integers to int32 when they fit).
 */
export function fromSafetensors(
  bytes: Uint8Array | ArrayBuffer,
  opts: LoadOptions = {},
): Record<string, Tensor> {
  const buf = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const header = parseHeader(buf);
  // A null prototype: a tensor may be named "__proto__" or "constructor" and must round-trip.
  const out = Object.create(null) as Record<string, Tensor>;
  for (const e of header.tensors) {
    const start = header.dataStart + e.dataOffsets[0];
    const count = e.shape.reduce((a, b) => a * b, 1);
    const data = decodeElements(
      e.name,
      e.dtype,
      buf.subarray(start, header.dataStart + e.dataOffsets[1]),
      count,
    );
    out[e.name] = fromArray(data, e.shape, opts.device);
  }
  return out;
}

/** What a file holds, without reading the tensors: names, file dtypes, shapes, metadata. */
export function inspectSafetensors(bytes: Uint8Array | ArrayBuffer): {
  /** The `__metadata__` string pairs, or null. */
  metadata: Record<string, string> | null;
  /** Each tensor's entry in the header. */
  tensors: {
    /** The tensor's name. */
    name: string;
    /** Its safetensors dtype. */
    dtype: SafetensorsDType;
    /** Its shape. */
    shape: number[];
    /** Its byte range [begin, end) in the data section. */
    dataOffsets: [number, number];
  }[];
} {
  const { metadata, tensors } = parseHeader(
    bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes),
  );
  return { metadata, tensors };
}
