// Round trips through bytes and through files: names, dtypes, shapes and values come back.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "dendrite-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sample(): Record<string, dl.Tensor> {
  dl.manualSeed(3);
  return {
    "layers.0.weight": dl.randn([4, 3]),
    "layers.0.bias": dl.randn([4]),
    "bn.num_batches_tracked": dl.tensor(17, { dtype: "int32" }),
    "embedding.weight": dl.randn([5, 2]).transpose(0, 1), // non-contiguous
    mask: dl.tensor([
      [true, false],
      [false, true],
    ]),
    ids: dl.randint(-1000, 1000, [7]),
    empty: dl.zeros([0, 4]),
    "ünïcode.名前": dl.tensor([1.5, -2.25, 3e-39, -0], { dtype: "float32" }),
  };
}

function expectSame(a: Record<string, dl.Tensor>, b: Record<string, dl.Tensor>) {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
  for (const name of Object.keys(a)) {
    expect(b[name].dtype, name).toBe(a[name].dtype);
    expect(b[name].shape, name).toEqual(a[name].shape);
    // bit-exact: compare the raw bytes, so -0 and subnormals count
    const bytes = (t: dl.Tensor) => Array.from(new Uint8Array(t.dataSync().slice().buffer));
    expect(bytes(b[name]), name).toEqual(bytes(a[name]));
  }
}

describe("safetensors round trip", () => {
  it("through bytes, from a Record and from a Map", async () => {
    const sd = sample();
    expectSame(sd, dl.io.fromSafetensors(await dl.io.toSafetensors(sd)));
    const fromMap = await dl.io.toSafetensors(new Map(Object.entries(sd)));
    expect(fromMap).toEqual(await dl.io.toSafetensors(sd));
  });

  it("every tensor's data starts 8-byte aligned in the file", async () => {
    const bytes = await dl.io.toSafetensors(sample());
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    for (const t of dl.io.inspectSafetensors(bytes).tensors) {
      const size = t.dtype === "BOOL" ? 1 : 4;
      expect(t.dataOffsets[0] % size).toBe(0);
    }
  });

  it("through a file with dl.save / dl.load, metadata included", async () => {
    const sd = sample();
    const path = join(dir, "model.safetensors");
    await dl.save(sd, path, { metadata: { format: "pt" } });
    expectSame(sd, await dl.load(path));
    const onDisk = new Uint8Array(readFileSync(path));
    expect(dl.io.inspectSafetensors(onDisk).metadata).toEqual({ format: "pt" });
    expect(onDisk).toEqual(await dl.io.toSafetensors(sd, { metadata: { format: "pt" } }));
  });

  it("reports misuse clearly", async () => {
    await expect(dl.io.toSafetensors({ w: [1, 2] as unknown as dl.Tensor })).rejects.toThrow(
      /entry "w" is not a Tensor/,
    );
    await expect(dl.io.toSafetensors({ __metadata__: dl.zeros([1]) })).rejects.toThrow(/reserved/);
    await expect(
      dl.io.toSafetensors({}, { metadata: { n: 1 as unknown as string } }),
    ).rejects.toThrow(/metadata values must be strings/);
    await expect(dl.load(join(dir, "missing.safetensors"))).rejects.toThrow(/load: cannot read/);
  });
});
