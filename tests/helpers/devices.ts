// The devices every device-parameterised suite runs on: the CPU always, WebGPU where an
// adapter starts (without a GPU, SwiftShader's Vulkan driver where Chromium ships it). Tests
// iterate this list (describe.each) and skip a device that cannot start, with the reason
// logged once, so a case written once runs on every backend.
import { existsSync } from "node:fs";
import * as dl from "../../src/index.js";
import type { Device } from "../../src/index.js";

const SWIFTSHADER = "/usr/lib/chromium/vk_swiftshader_icd.json";

/** Starts WebGPU; without a GPU falls back to SwiftShader where Chromium ships it. */
async function startWebGpu(): Promise<string | null> {
  try {
    await dl.useDevice("webgpu");
    return null;
  } catch (e) {
    const noDriver = !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER);
    if (!noDriver) return (e as Error).message;
  }
  process.env.VK_ICD_FILENAMES = SWIFTSHADER;
  try {
    await dl.useDevice("webgpu");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

const webgpuReason = await startWebGpu();
if (webgpuReason) console.warn(`[webgpu tests] skipped: ${webgpuReason}`);
await dl.useDevice("cpu");

export interface DeviceCase {
  device: Device;
  available: boolean;
  /** Why the device is unavailable (null when it started). */
  reason: string | null;
}

export const DEVICES: readonly DeviceCase[] = [
  { device: "cpu", available: true, reason: null },
  { device: "webgpu", available: webgpuReason === null, reason: webgpuReason },
];

/** True when a WebGPU adapter started. */
export const gpuAvailable = webgpuReason === null;
