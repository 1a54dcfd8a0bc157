// The WebGPU device itself: start-up and adapter info, ordering of uploads against queued
// work, clear errors for oversized buffers and out-of-range indices, memory accounting in
// GPU bytes, and recovery from a lost device without losing the process.
import { describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { getBackend } from "../../src/backend/registry.js";
import type { WebGpuBackend } from "../../src/backend/webgpu/backend.js";
import { deviceUniform } from "../../src/tensor/create-random.js";
import { gpuAvailable } from "./gpu.js";

const gpuBackend = () => getBackend("webgpu") as WebGpuBackend;

describe.skipIf(!gpuAvailable)("the webgpu device", () => {
  it("reports its adapter in dl.devices()", () => {
    const info = dl.devices().find((d) => d.device === "webgpu");
    expect(info?.initialised).toBe(true);
    expect(typeof info?.adapter?.vendor).toBe("string");
    expect(typeof info?.adapter?.isFallbackAdapter).toBe("boolean");
  });

  it("draws the counter-based stream bit for bit as the CPU does (dropout masks too)", async () => {
    for (const n of [1, 1000, 70_000]) {
      dl.manualSeed(11);
      const cpu = deviceUniform([n], "cpu").dataSync();
      dl.manualSeed(11);
      expect(await deviceUniform([n], "webgpu").data()).toEqual(cpu);
    }
    const x = dl.randn([64, 33]);
    dl.manualSeed(5);
    const cpu = dl.nn.functional.dropout(x, 0.4).dataSync();
    dl.manualSeed(5);
    expect(await dl.nn.functional.dropout(x.to("webgpu"), 0.4).data()).toEqual(cpu);
  });

  it("an upload into a recycled buffer does not overtake queued work that read it", async () => {
    const x = dl.arange(0, 4096, 1, { dtype: "float32", device: "webgpu" });
    const y = dl.mul(x, 2); // queued, reads x's buffer
    x.dispose(); // x's buffer returns to the pool while y's kernel is still queued
    const z = dl.full([4096], 7, { device: "webgpu" }); // same size class: reuses that buffer
    const [yv, zv] = [await y.data(), await z.data()];
    expect(yv[4095]).toBe(8190);
    expect(zv[0]).toBe(7);
  });

  it("a buffer freed while queued work uses it, with the pool full, is destroyed only after the submit", async () => {
    // Tutorial 05's spam training on WebGPU freed large buffers past the pool's cap while
    // the open batch still used them: the submit then failed ("used in submit while destroyed").
    const pool = gpuBackend().engine.pool as unknown as { maxPooled: number };
    const cap = pool.maxPooled;
    pool.maxPooled = 0; // every release destroys
    try {
      const x = dl.arange(0, 4096, 1, { dtype: "float32", device: "webgpu" });
      await x.data(); // x's upload is submitted: the next batch starts clean
      const y = dl.mul(x, 2); // queued, reads x's buffer
      x.dispose(); // would destroy x's buffer before y's batch is submitted
      const v = await y.data();
      expect(v[4095]).toBe(8190);
      const after = dl.add(y, 1); // the engine still works after that batch
      expect((await after.data())[0]).toBe(1);
    } finally {
      pool.maxPooled = cap;
    }
  });

  it("reads bool and int32 tensors back in the CPU's layout", async () => {
    const b = dl.tensor([true, false, true], { device: "webgpu" });
    expect(await b.data()).toEqual(new Uint8Array([1, 0, 1]));
    expect(await dl.tensor([-3, 2147483647], { device: "webgpu" }).toArray()).toEqual([
      -3, 2147483647,
    ]);
    expect(() => b.dataSync()).toThrow(/use await t.data\(\)/);
  });

  it("refuses a buffer larger than the adapter allows, naming the sizes", () => {
    const { maxBufferSize, maxStorageBufferBindingSize } = gpuBackend().limits;
    const max = Math.min(maxBufferSize, maxStorageBufferBindingSize);
    expect(() => dl.zeros([Math.ceil(max / 4) + 1], { device: "webgpu" })).toThrow(
      /cannot hold .* elements .* this adapter allows at most/,
    );
    expect(dl.zeros([2], { device: "webgpu" }).device).toBe("webgpu"); // still usable
  });

  it("names an out-of-memory error and what to do about it", async () => {
    // A real OOM needs gigabytes; the error Dawn would report is injected instead.
    const engine = gpuBackend().engine as unknown as { errors: unknown[] };
    class GPUOutOfMemoryError extends Error {}
    engine.errors.push(new GPUOutOfMemoryError("Out of memory"));
    await expect(dl.ones([3], { device: "webgpu" }).data()).rejects.toThrow(
      /ran out of memory.*dispose\(\).*smaller batches/,
    );
    expect(Array.from(await dl.ones([3], { device: "webgpu" }).data())).toEqual([1, 1, 1]);
  });

  it("dl.memory() counts the bytes the GPU holds: 4 per bool, whole pooled buffers", () => {
    const gpuBytes = () => dl.memory().byDevice.webgpu?.bytes ?? 0;
    const inUse = () => gpuBackend().stats().inUse;
    const [before, poolBefore] = [gpuBytes(), inUse()];
    const flags = dl.zeros([1024], { dtype: "bool", device: "webgpu" });
    const grid = flags.view([32, 32]); // a view shares the storage: counted once
    expect(gpuBytes() - before).toBe(4096); // 1,024 on the CPU
    const small = dl.ones([3], { device: "webgpu" }); // rounded up to the pool's smallest buffer
    expect(gpuBytes() - before).toBe(inUse() - poolBefore);
    expect(gpuBytes() - before).toBeGreaterThan(4096 + 12);
    for (const t of [flags, grid, small]) t.dispose();
    expect(gpuBytes()).toBe(before);
  });

  it("survives a lost device: clear errors, then useDevice starts a new one", async () => {
    const old = dl.ones([3], { device: "webgpu" });
    gpuBackend().gpuDevice.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(() => dl.add(old, 1)).toThrow(/GPU device was lost.*useDevice\("webgpu"\)/);
    await dl.useDevice("webgpu");
    await dl.useDevice("cpu");
    const fresh = dl.add(dl.ones([3], { device: "webgpu" }), 1);
    expect(Array.from(await fresh.data())).toEqual([2, 2, 2]);
  });
});
