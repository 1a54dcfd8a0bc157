// Device selection: dl.useDevice, dl.devices, and copies between devices.
import type { AdapterInfo, Device } from "./backend.js";
import { getBackend, hasBackend } from "./registry.js";
import { Tensor, tensorHooks } from "../tensor/tensor.js";
import { fromArray, setDefaultDevice, getDefaultDevice } from "../tensor/create.js";
import { fail } from "../tensor/errors.js";

/** Starts a device's backend (registered by the backend's module, e.g. WebGPU). */
const starters = new Map<Device, () => Promise<void>>();

export function registerDeviceStarter(device: Device, start: () => Promise<void>): void {
  starters.set(device, start);
}

/** Initialises `device` if needed and makes it the default for new tensors. */
export async function useDevice(device: Device): Promise<Device> {
  if (device !== "cpu" && device !== "webgpu")
    fail("useDevice", `unknown device ${JSON.stringify(device)}; expected "cpu" or "webgpu"`);
  if (!hasBackend(device) || getBackend(device).lost) {
    const start = starters.get(device);
    if (!start) fail("useDevice", `no ${device} backend is available in this build`);
    await start();
  }
  setDefaultDevice(device);
  return device;
}

export interface DeviceInfo {
  device: Device;
  initialised: boolean;
  isDefault: boolean;
  adapter?: AdapterInfo;
}

export function devices(): DeviceInfo[] {
  const names: Device[] = ["cpu", ...([...starters.keys()].filter((d) => d !== "cpu") as Device[])];
  if (hasBackend("webgpu") && !names.includes("webgpu")) names.push("webgpu");
  return names.map((device) => ({
    device,
    initialised: hasBackend(device),
    isDefault: getDefaultDevice() === device,
    adapter: hasBackend(device) ? getBackend(device).info() : undefined,
  }));
}

function toDevice(t: Tensor, device: Device): Tensor {
  const src = t.backend;
  if (!src.readSync)
    fail(
      "to",
      `copying from ${t.device} to ${device} must wait for the device: use await dl.toDeviceAsync(t, "${device}")`,
    );
  const out = fromArray(t.dataSync(), t.shape, device);
  if (t.requiresGrad && t.isLeaf) out.requiresGrad = true;
  return out;
}

/** Copies a tensor to another device, waiting for the source device where needed. */
export async function toDeviceAsync(t: Tensor, device: Device): Promise<Tensor> {
  if (t.device === device) return t;
  const out = fromArray(await t.data(), t.shape, device);
  if (t.requiresGrad && t.isLeaf) out.requiresGrad = true;
  return out;
}

tensorHooks.toDevice = toDevice;
