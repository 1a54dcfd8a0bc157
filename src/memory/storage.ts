// A Storage is one device buffer shared by every view of it (a tensor and its reshapes,
// transposes, slices). It is reference-counted: each tensor handle holds one reference, and
// the buffer goes back to its backend when the last one is released.
import type { Backend, BackendBuffer, Device } from "../backend/backend.js";
import { bytesPerElement } from "../tensor/dtype.js";

interface DeviceUsage {
  tensors: number;
  bytes: number;
}

const usage = new Map<Device, DeviceUsage>();

function usageOf(device: Device): DeviceUsage {
  let u = usage.get(device);
  if (!u) usage.set(device, (u = { tensors: 0, bytes: 0 }));
  return u;
}

export class Storage {
  private refs = 0;
  readonly bytes: number;

  constructor(
    readonly buffer: BackendBuffer,
    readonly backend: Backend,
  ) {
    this.bytes = buffer.length * bytesPerElement(buffer.dtype);
    usageOf(buffer.device).bytes += this.bytes;
  }

  get device(): Device {
    return this.buffer.device;
  }

  get alive(): boolean {
    return this.refs > 0;
  }

  retain(): void {
    this.refs++;
  }

  release(): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      this.backend.free(this.buffer);
      usageOf(this.buffer.device).bytes -= this.bytes;
    }
  }
}

/** Counts live tensor handles per device (storages count bytes). */
export function countTensor(device: Device, delta: number): void {
  usageOf(device).tensors += delta;
}

export interface MemoryInfo {
  /** Live tensor handles on every device. */
  tensors: number;
  /** Bytes held by live storages on every device. */
  bytes: number;
  byDevice: Record<string, DeviceUsage>;
}

export function memoryInfo(): MemoryInfo {
  const byDevice: Record<string, DeviceUsage> = {};
  let tensors = 0;
  let bytes = 0;
  for (const [device, u] of usage) {
    byDevice[device] = { ...u };
    tensors += u.tensors;
    bytes += u.bytes;
  }
  return { tensors, bytes, byDevice };
}
