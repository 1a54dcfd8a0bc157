// Copies between devices: t.to(device) (the toDevice hook, synchronous where the source can be
// read without waiting) and dl.toDeviceAsync (waits for the source device).
import type { Device } from "../backend/backend.js";
import type { Tensor } from "./tensor.js";
import { fromArray } from "./create.js";
import { fail } from "./errors.js";

export function toDevice(t: Tensor, device: Device): Tensor {
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
