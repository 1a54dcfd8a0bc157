// Loading other tools' dtypes (F64, F16, BF16, F8, I64, U8, ...) by the documented rule, and
// rejecting malformed files with the reference implementation's checks.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const te = new TextEncoder();

function specFile(entries: [string, string, number[], number[]][], meta?: object): Uint8Array {
  // entries: [name, dtype, shape, raw little-endian bytes]
  const parts: string[] = meta ? [`"__metadata__":${JSON.stringify(meta)}`] : [];
  let off = 0;
  for (const [name, dtype, shape, bytes] of entries) {
    parts.push(
      `"${name}":{"dtype":"${dtype}","shape":[${shape}],"data_offsets":[${off},${off + bytes.length}]}`,
    );
    off += bytes.length;
  }
  return rawFile(
    `{${parts.join(",")}}`,
    entries.flatMap((e) => e[3]),
  );
}

function rawFile(header: string, data: number[], declaredLength?: number): Uint8Array {
  const h = te.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(declaredLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const le = (width: 2 | 8, xs: (number | bigint)[], kind: "u" | "i" | "f" = "u") => {
  const dv = new DataView(new ArrayBuffer(width * xs.length));
  xs.forEach((x, i) => {
    if (width === 2) dv.setUint16(2 * i, Number(x), true);
    else if (kind === "f") dv.setFloat64(8 * i, Number(x), true);
    else dv.setBigInt64(8 * i, BigInt(x), true);
  });
  return [...new Uint8Array(dv.buffer)];
};

describe("loading dtypes we do not have", () => {
  it("F64 loads as float32, rounded to nearest", () => {
    const sd = dl.io.fromSafetensors(specFile([["x", "F64", [3], le(8, [0.1, -1e300, 2.5], "f")]]));
    expect(sd.x.dtype).toBe("float32");
    expect(Array.from(sd.x.dataSync())).toEqual([Math.fround(0.1), -Infinity, 2.5]);
  });

  it("F16 loads exactly: normals, subnormals, max, infinities, NaN", () => {
    // bit patterns from IEEE 754 binary16
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x0400, 0x3555, 0x7c00, 0xfc00, 0x7e00, 0x8000];
    const x = dl.io.fromSafetensors(specFile([["h", "F16", [10], le(2, bits)]])).h;
    const v = Array.from(x.dataSync());
    expect(v.slice(0, 6)).toEqual([1, -2, 65504, 2 ** -24, 2 ** -14, 0.333251953125]);
    expect(v[6]).toBe(Infinity);
    expect(v[7]).toBe(-Infinity);
    expect(v[8]).toBeNaN();
    expect(Object.is(v[9], -0)).toBe(true);
  });

  it("BF16 loads exactly (the top half of a float32)", () => {
    const x = dl.io.fromSafetensors(
      specFile([["b", "BF16", [4], le(2, [0x3f80, 0xc0a0, 0x4049, 0x0001])]]),
    ).b;
    expect(Array.from(x.dataSync())).toEqual([1, -5, 3.140625, 2 ** -133]);
  });

  it("F8_E4M3 (fn) and F8_E5M2 load exactly", () => {
    const x = dl.io.fromSafetensors(
      specFile([
        ["a", "F8_E4M3", [5], [0x38, 0x7e, 0x01, 0xc0, 0x7f]],
        ["b", "F8_E5M2", [4], [0x3c, 0x7b, 0x01, 0x7c]],
      ]),
    );
    const a = Array.from(x.a.dataSync());
    expect(a.slice(0, 4)).toEqual([1, 448, 2 ** -9, -2]);
    expect(a[4]).toBeNaN();
    expect(Array.from(x.b.dataSync())).toEqual([1, 57344, 2 ** -16, Infinity]);
  });

  it("integer dtypes load as int32 when every value fits", () => {
    const sd = dl.io.fromSafetensors(
      specFile([
        ["big", "I64", [3], le(8, [-2147483648n, 2147483647n, 42n])],
        ["u8", "U8", [2], [0, 255]],
        ["i8", "I8", [2], [0x80, 0x7f]],
        ["i16", "I16", [1], le(2, [0x8000])],
        ["u16", "U16", [1], le(2, [0xffff])],
      ]),
    );
    for (const t of Object.values(sd)) expect(t.dtype).toBe("int32");
    expect(sd.big.toArraySync()).toEqual([-2147483648, 2147483647, 42]);
    expect(sd.u8.toArraySync()).toEqual([0, 255]);
    expect(sd.i8.toArraySync()).toEqual([-128, 127]);
    expect(sd.i16.toArraySync()).toEqual([-32768]);
    expect(sd.u16.toArraySync()).toEqual([65535]);
  });

  it("an I64 value outside int32 is an error naming the tensor", () => {
    const file = specFile([["steps", "I64", [2], le(8, [1n, 2n ** 40n])]]);
    expect(() => dl.io.fromSafetensors(file)).toThrow(
      /"steps" \(I64\) holds 1099511627776, outside int32/,
    );
  });

  it("inspect reports the file's own dtypes", () => {
    const info = dl.io.inspectSafetensors(
      specFile([["h", "F16", [1], le(2, [0x3c00])]], { a: "b" }),
    );
    expect(info).toEqual({
      metadata: { a: "b" },
      tensors: [{ name: "h", dtype: "F16", shape: [1], dataOffsets: [0, 2] }],
    });
  });
});

describe("malformed files are rejected", () => {
  const ok = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
  const cases: [string, Uint8Array, RegExp][] = [
    ["too short", new Uint8Array(5), /too short/],
    ["header past the end", rawFile(ok, [0, 0, 0, 0], 1000), /runs past the end/],
    ["header over 100 MB", rawFile(ok, [0, 0, 0, 0], 200_000_000), /exceeds the format's limit/],
    ["not an object", rawFile('["x"]', []), /starting with "\{"/],
    ["invalid JSON", rawFile("{oops}", []), /not valid JSON/],
    [
      "unknown dtype",
      rawFile('{"x":{"dtype":"F128","shape":[1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /unknown dtype "F128"/,
    ],
    [
      "bad shape",
      rawFile('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /shape must be/,
    ],
    [
      "size mismatch",
      rawFile('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]),
      /needs 8 bytes/,
    ],
    [
      "gap",
      rawFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', new Array(8).fill(0)),
      /do not continue from byte 0/,
    ],
    ["trailing bytes", rawFile(ok, [0, 0, 0, 0, 9]), /buffer holds 5/],
    ["metadata not strings", rawFile('{"__metadata__":{"n":1}}', []), /"n" is 1/],
  ];
  for (const [what, bytes, message] of cases)
    it(what, () => {
      expect(() => dl.io.fromSafetensors(bytes)).toThrow(dl.DendriteError);
      expect(() => dl.io.fromSafetensors(bytes)).toThrow(message);
    });

  it("invalid UTF-8 in the header", () => {
    const bytes = rawFile("{}", []);
    bytes[9] = 0xff;
    expect(() => dl.io.fromSafetensors(bytes)).toThrow(/not valid UTF-8/);
  });
});
