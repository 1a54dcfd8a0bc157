// Devices: which exist, how each starts (one switch the compiler checks for exhaustiveness),
// the default device for new tensors, and dl.useDevice / dl.devices.
import type { AdapterInfo, Device } from "./backend.js";
import { getBackend, hasBackend, registerBackend } from "./registry.js";
import { fail } from "../tensor/errors.js";

/** Every device, in the order dl.devices() lists them. */
export const DEVICES = ["cpu", "webgpu"] as const satisfies readonly Device[];

let defaultDevice: Device = "cpu";

/** The device new tensors go to when none is given (dl.useDevice changes it). */
export function getDefaultDevice(): Device {
  return defaultDevice;
}

export function setDefaultDevice(device: Device): void {
  defaultDevice = device;
}

/**
 * Starts `device`'s backend and registers it with its kernel table. Each backend loads only
 * here, on demand (the CPU is also registered at load by src/wiring.ts), so the library stays
 * importable where WebGPU is missing. A new Device without a case does not compile.
 */
async function createBackend(device: Device): Promise<void> {
  switch (device) {
    case "cpu": {
      const { cpuBackend, cpuKernels } = await import("./cpu/index.js");
      registerBackend(cpuBackend, cpuKernels());
      return;
    }
    case "webgpu": {
      const { startWebGpu } = await import("./webgpu/start.js");
      return startWebGpu();
    }
    default:
      return fail(
        "useDevice",
        `unknown device ${JSON.stringify(device satisfies never)}; expected ${DEVICES.map((d) => `"${d}"`).join(" or ")}`,
      );
  }
}

/** Initialises `device` if needed and makes it the default for new tensors. */
export async function useDevice(device: Device): Promise<Device> {
  await useDeviceBackend(device);
  setDefaultDevice(device);
  return device;
}

/**
 * The device to compute on where a choice is offered: `"webgpu"` when a hardware GPU adapter is
 * found (`navigator.gpu` in a browser, Dawn under Node), `"cpu"` otherwise. A fallback adapter
 * (software WebGPU such as SwiftShader, slower than the CPU backend it runs on) counts as no
 * GPU. Choosing WebGPU starts it, so `t.to(device)` and `model.to(device)` work at once; the
 * default device for new tensors stays as it is ({@link useDevice} changes it). Never rejects:
 * no WebGPU, no adapter or a refused device all give `"cpu"`. The same idea as PyTorch's
 * `device = "cuda" if torch.cuda.is_available() else "cpu"`.
 *
 * Under Node the environment variable `DENDRITE_DEVICE` overrides the choice: `cpu` gives the
 * CPU whatever GPU there is, and `webgpu` starts WebGPU on any adapter, a fallback one
 * included — how a machine without a GPU runs code written for one (SwiftShader, with
 * `VK_ICD_FILENAMES` pointing at its driver), e.g. the tutorials in a test. A forced device
 * that cannot start rejects with the reason, since a silent CPU would hide what was asked for.
 * @example
 * ```ts
 * const device = await dl.preferredDevice();
 * console.log(`computing on ${device}`);
 * const y = dl.ones([2, 3]).to(device).mul(2);
 * console.log(await y.toArray());
 * ```
 */
export async function preferredDevice(): Promise<Device> {
  const forced = forcedDevice();
  if (forced) return useDeviceBackend(forced);
  if (hasBackend("webgpu") && !getBackend("webgpu").lost)
    return getBackend("webgpu").info().isFallbackAdapter ? "cpu" : "webgpu";
  if (foundNoHardwareGpu) return "cpu";
  if (await startHardwareGpu()) return "webgpu";
  foundNoHardwareGpu = true;
  return "cpu";
}

/** The device named by `DENDRITE_DEVICE` (Node only; a browser has no environment), or null. */
function forcedDevice(): Device | null {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
    ?.env;
  const name = env?.DENDRITE_DEVICE?.trim();
  if (!name) return null;
  const device = DEVICES.find((d) => d === name);
  if (!device)
    fail(
      "preferredDevice",
      `DENDRITE_DEVICE=${JSON.stringify(name)} names no device; expected ${DEVICES.join(" or ")}`,
    );
  return device;
}

/** Starts `device`'s backend where needed, leaving the default device as it is. */
async function useDeviceBackend(device: Device): Promise<Device> {
  if (!hasBackend(device) || getBackend(device).lost) await createBackend(device);
  return device;
}

/** Remembered: each probe under Node starts a Dawn instance, and GPUs do not appear later. */
let foundNoHardwareGpu = false;

async function startHardwareGpu(): Promise<boolean> {
  const { findHardwareAdapter, startWebGpu } = await import("./webgpu/start.js");
  const adapter = await findHardwareAdapter();
  if (!adapter) return false;
  try {
    await startWebGpu(adapter);
    return true;
  } catch {
    return false;
  }
}

/** One entry of {@link devices}. */
export interface DeviceInfo {
  /** The device name. */
  device: Device;
  /** Whether its backend has started (WebGPU starts on first use). */
  initialised: boolean;
  /** Whether new tensors go there by default (see {@link useDevice}). */
  isDefault: boolean;
  /** The adapter's description, once initialised. */
  adapter?: AdapterInfo;
}

/** The devices this runtime offers, with whether each is started and the default. */
export function devices(): DeviceInfo[] {
  return DEVICES.map((device) => ({
    device,
    initialised: hasBackend(device),
    isDefault: getDefaultDevice() === device,
    adapter: hasBackend(device) ? getBackend(device).info() : undefined,
  }));
}
