// dl.preferredDevice(): WebGPU only on a hardware adapter, the CPU for a software (fallback)
// adapter such as SwiftShader or for no adapter at all, and WebGPU started when chosen so
// `.to(device)` works at once. Each case loads a fresh copy of the library (no device started,
// nothing remembered). There is no GPU here: the "hardware" case is SwiftShader's real adapter
// behind a navigator.gpu that reports it as not a fallback, which is all the choice looks at.
/// <reference types="@webgpu/types" />
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import type * as Dendrite from "../../src/index.js";

const SWIFTSHADER = "/usr/lib/chromium/vk_swiftshader_icd.json";

async function freshLibrary(): Promise<typeof Dendrite> {
  vi.resetModules();
  return import("../../src/index.js");
}

/** A navigator.gpu whose adapters are `gpu`'s, reporting isFallbackAdapter as `fallback`. */
function navigatorGpu(gpu: GPU, fallback: boolean) {
  return {
    gpu: {
      async requestAdapter(options?: GPURequestAdapterOptions) {
        const real = await gpu.requestAdapter(options);
        if (!real) return null;
        const info = {
          vendor: real.info.vendor,
          architecture: real.info.architecture,
          device: real.info.device,
          description: real.info.description,
          isFallbackAdapter: fallback,
        };
        return {
          info,
          limits: real.limits,
          features: real.features,
          requestDevice: (d?: GPUDeviceDescriptor) => real.requestDevice(d),
        };
      },
    },
  };
}

const savedIcd = process.env.VK_ICD_FILENAMES;

afterEach(() => {
  delete (globalThis as { navigator?: unknown }).navigator;
  delete process.env.DENDRITE_DEVICE;
  if (savedIcd === undefined) delete process.env.VK_ICD_FILENAMES;
  else process.env.VK_ICD_FILENAMES = savedIcd;
});

describe("dl.preferredDevice", () => {
  it("is the CPU where no WebGPU adapter exists, and does not fail", async () => {
    process.env.VK_ICD_FILENAMES = "/nonexistent/no-such-driver.json";
    const dl = await freshLibrary();
    expect(await dl.preferredDevice()).toBe("cpu");
    expect(dl.devices().find((d) => d.device === "webgpu")?.initialised).toBe(false);
  });

  it.skipIf(!existsSync(SWIFTSHADER))(
    "is the CPU on a software adapter (SwiftShader), leaving WebGPU unstarted",
    async () => {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
      const dl = await freshLibrary();
      expect(await dl.preferredDevice()).toBe("cpu");
      expect(dl.devices().find((d) => d.device === "webgpu")?.initialised).toBe(false);
      // Asked for explicitly, the same adapter starts, and says it is a fallback.
      await dl.useDevice("webgpu");
      await dl.useDevice("cpu");
      const info = dl.devices().find((d) => d.device === "webgpu");
      expect(info?.adapter?.isFallbackAdapter).toBe(true);
      expect(await dl.preferredDevice()).toBe("cpu");
    },
  );

  it.skipIf(!existsSync(SWIFTSHADER))(
    "is WebGPU on a hardware adapter, started so tensors move there, the default unchanged",
    async () => {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
      const dl = await freshLibrary();
      const { createDawnGpu } = await import("../../src/platform/webgpu-node.js");
      (globalThis as { navigator?: unknown }).navigator = navigatorGpu(
        await createDawnGpu(),
        false,
      );
      const device = await dl.preferredDevice();
      expect(device).toBe("webgpu");
      const info = dl.devices().find((d) => d.device === "webgpu");
      expect(info).toMatchObject({ initialised: true, isDefault: false });
      expect(info?.adapter?.isFallbackAdapter).toBe(false);
      const x = dl.tensor([1, 2, 3]);
      expect(x.device).toBe("cpu");
      const y = x.to(device).mul(2);
      expect(y.device).toBe("webgpu");
      expect(Array.from(await y.data())).toEqual([2, 4, 6]);
      expect(await dl.preferredDevice()).toBe("webgpu");
    },
  );

  it.skipIf(!existsSync(SWIFTSHADER))(
    "is WebGPU on a software adapter where DENDRITE_DEVICE=webgpu asks for it",
    async () => {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
      process.env.DENDRITE_DEVICE = "webgpu";
      const dl = await freshLibrary();
      expect(await dl.preferredDevice()).toBe("webgpu");
      const info = dl.devices().find((d) => d.device === "webgpu");
      expect(info).toMatchObject({ initialised: true, isDefault: false });
      expect(info?.adapter?.isFallbackAdapter).toBe(true);
      const y = dl.tensor([1, 2, 3]).to("webgpu").mul(2);
      expect(Array.from(await y.data())).toEqual([2, 4, 6]);
    },
  );

  it.skipIf(!existsSync(SWIFTSHADER))(
    "is the CPU where DENDRITE_DEVICE=cpu asks for it, even with a hardware adapter",
    async () => {
      process.env.VK_ICD_FILENAMES = SWIFTSHADER;
      process.env.DENDRITE_DEVICE = "cpu";
      const dl = await freshLibrary();
      const { createDawnGpu } = await import("../../src/platform/webgpu-node.js");
      (globalThis as { navigator?: unknown }).navigator = navigatorGpu(
        await createDawnGpu(),
        false,
      );
      expect(await dl.preferredDevice()).toBe("cpu");
      expect(dl.devices().find((d) => d.device === "webgpu")?.initialised).toBe(false);
    },
  );

  it("rejects a DENDRITE_DEVICE that names no device, or a forced WebGPU that cannot start", async () => {
    process.env.DENDRITE_DEVICE = "cuda";
    let dl = await freshLibrary();
    await expect(dl.preferredDevice()).rejects.toThrow(
      /DENDRITE_DEVICE="cuda" names no device; expected cpu or webgpu/,
    );
    process.env.DENDRITE_DEVICE = "webgpu";
    process.env.VK_ICD_FILENAMES = "/nonexistent/no-such-driver.json";
    dl = await freshLibrary();
    await expect(dl.preferredDevice()).rejects.toThrow(/no WebGPU adapter was found/);
  });
});
