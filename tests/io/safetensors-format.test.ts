// The safetensors writer against bytes built by hand from the format's specification, and
// against the byte vectors published in the reference implementation's own tests.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const te = new TextEncoder();

/** A file by the spec: u64 LE header length, the header (space-padded to 8), then the data. */
function specFile(header: string, data: number[], align = true): Uint8Array {
  const raw = te.encode(header);
  const n = align ? Math.ceil(raw.length / 8) * 8 : raw.length;
  const out = new Uint8Array(8 + n + data.length);
  let len = n;
  for (let i = 0; i < 8; i++, len = Math.floor(len / 256)) out[i] = len % 256;
  out.set(raw, 8);
  out.fill(0x20, 8 + raw.length, 8 + n);
  out.set(data, 8 + n);
  return out;
}

const f32le = (...xs: number[]) => [...new Uint8Array(new Float32Array(xs).buffer)];
const i32le = (...xs: number[]) => [...new Uint8Array(new Int32Array(xs).buffer)];

describe("safetensors writer: exact bytes", () => {
  it("matches the reference implementation's published vector (attn.0, F32 [1, 2, 3])", async () => {
    // from huggingface/safetensors, safetensors/src/tensor.rs, test_serialization
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121,
      112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50,
      44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48,
      44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64,
      0, 0, 160, 64,
    ];
    const t = dl.tensor([0, 1, 2, 3, 4, 5], { dtype: "float32" }).reshape([1, 2, 3]);
    expect([...(await dl.io.toSafetensors({ "attn.0": t }))]).toEqual(expected);
  });

  it("pads the header with spaces to 8 bytes (published vector test_serialization_forced_alignement)", async () => {
    const t = dl.tensor([0, 1, 2, 3, 4, 5], { dtype: "float32" }).reshape([1, 1, 2, 3]);
    const bytes = await dl.io.toSafetensors({ attn0: t });
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}';
    expect([...bytes]).toEqual([...specFile(header, f32le(0, 1, 2, 3, 4, 5))]);
    expect(bytes[0]).toBe(72);
    expect([...bytes.subarray(8 + 65, 8 + 72)]).toEqual([32, 32, 32, 32, 32, 32, 32]);
  });

  it("writes the empty file and __metadata__ exactly (published test_empty)", async () => {
    expect([...(await dl.io.toSafetensors({}))]).toEqual([
      8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32,
    ]);
    const withMeta = await dl.io.toSafetensors({}, { metadata: { framework: "pt" } });
    expect([...withMeta]).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58,
      123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32,
      32, 32, 32, 32,
    ]);
  });

  it("orders tensors by descending dtype alignment, then by name; metadata first", async () => {
    const sd = {
      mask: dl.tensor([true, false, true]),
      "layer.b": dl.tensor([7, -8], { dtype: "int32" }),
      "layer.a": dl.tensor([1.5], { dtype: "float32" }),
      B: dl.tensor([[2, 3]], { dtype: "float32" }),
      scalar: dl.tensor(-1, { dtype: "int32" }),
    };
    // F32 before I32 before BOOL; names by bytes ("B" < "layer.a"; "layer.b" < "scalar")
    const header =
      '{"__metadata__":{"format":"pt","note":"é"},' +
      '"B":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},' +
      '"layer.a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},' +
      '"layer.b":{"dtype":"I32","shape":[2],"data_offsets":[12,20]},' +
      '"scalar":{"dtype":"I32","shape":[],"data_offsets":[20,24]},' +
      '"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[24,27]}}';
    const data = [...f32le(2, 3, 1.5), ...i32le(7, -8, -1), 1, 0, 1];
    const bytes = await dl.io.toSafetensors(sd, { metadata: { format: "pt", note: "é" } });
    expect([...bytes]).toEqual([...specFile(header, data)]);
  });

  it("writes non-contiguous tensors in row-major order", async () => {
    const t = dl
      .tensor(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        { dtype: "float32" },
      )
      .transpose(0, 1);
    const header = '{"t":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]}}';
    expect([...(await dl.io.toSafetensors({ t }))]).toEqual([
      ...specFile(header, f32le(1, 4, 2, 5, 3, 6)),
    ]);
  });
});

describe("safetensors reader: files written by hand", () => {
  it("reads F32, I32 and BOOL with metadata, unpadded header, any key order", () => {
    const header =
      '{"flags":{"dtype":"BOOL","shape":[2,2],"data_offsets":[24,28]},' +
      '"__metadata__":{"source":"hand"},' +
      '"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},' +
      '"ids":{"dtype":"I32","shape":[2],"data_offsets":[16,24]}}';
    const bytes = specFile(
      header,
      [...f32le(0.5, -1, 3, 1e-8), ...i32le(2147483647, -5), 1, 0, 0, 1],
      false,
    );
    const info = dl.io.inspectSafetensors(bytes);
    expect(info.metadata).toEqual({ source: "hand" });
    expect(info.tensors.map((t) => t.name)).toEqual(["w", "ids", "flags"]);
    const sd = dl.io.fromSafetensors(bytes);
    expect(Object.keys(sd)).toEqual(["w", "ids", "flags"]);
    expect(sd.w.dtype).toBe("float32");
    expect(sd.w.toArraySync()).toEqual([
      [0.5, -1],
      [3, Math.fround(1e-8)],
    ]);
    expect(sd.ids.dtype).toBe("int32");
    expect(sd.ids.toArraySync()).toEqual([2147483647, -5]);
    expect(sd.flags.dtype).toBe("bool");
    expect(sd.flags.toArraySync()).toEqual([
      [true, false],
      [false, true],
    ]);
  });

  it("accepts an ArrayBuffer and a Uint8Array that is a window into a larger buffer", () => {
    const file = specFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32le(42));
    const big = new Uint8Array(file.length + 3);
    big.set(file, 3);
    expect(dl.io.fromSafetensors(big.subarray(3)).x.itemSync()).toBe(42);
    expect(dl.io.fromSafetensors(file.slice().buffer).x.itemSync()).toBe(42);
  });

  it("reads zero-size tensors", () => {
    const bytes = specFile('{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]}}', []);
    const e = dl.io.fromSafetensors(bytes).e;
    expect(e.shape).toEqual([0, 3]);
  });
});
