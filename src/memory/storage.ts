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

/**
 * The reference count of a storage, kept apart from the buffer on purpose: finalizer tokens
 * point here, never at the buffer, so when every handle of a CPU storage becomes
 * unreachable the garbage collector frees its typed array at once, even inside a long
 * synchronous loop where finalizer callbacks cannot run yet. Backends whose buffers need an
 * explicit free (GPU pools) keep the buffer here so the last release can return it.
 */
export class RefCount {
  refs = 0;
  /** Handles that dl.memory() counts (see lifetime.ts: some are left to the GC uncounted). */
  private counted = 0;
  /** The device's usage record, looked up once rather than per counted handle. */
  private readonly usage: DeviceUsage;

  constructor(
    readonly device: Device,
    readonly bytes: number,
    private readonly backend: Backend,
    private readonly toFree: BackendBuffer | null,
  ) {
    this.usage = usageOf(device);
  }

  retain(): void {
    this.refs++;
  }

  /** One more counted handle; the storage's bytes count while any handle does. */
  count(): void {
    const u = this.usage;
    u.tensors++;
    if (this.counted++ === 0) u.bytes += this.bytes;
  }

  uncount(): void {
    if (this.counted <= 0) return;
    const u = this.usage;
    u.tensors--;
    if (--this.counted === 0) u.bytes -= this.bytes;
  }

  /**
   * Drops one reference. An explicit dispose passes the buffer it still holds, so even a
   * garbage-collected backend (the CPU) gets it back for reuse when this was the last one.
   */
  release(buffer?: BackendBuffer): void {
    if (this.refs <= 0) return;
    if (--this.refs === 0) {
      const done = this.toFree ?? buffer;
      if (done) this.backend.free(done);
    }
  }
}

export class Storage {
  readonly count: RefCount;

  constructor(
    readonly buffer: BackendBuffer,
    readonly backend: Backend,
  ) {
    const bytes = buffer.byteLength ?? buffer.length * bytesPerElement(buffer.dtype);
    this.count = new RefCount(
      buffer.device,
      bytes,
      backend,
      backend.gcFreesBuffers ? null : buffer,
    );
  }

  get device(): Device {
    return this.buffer.device;
  }

  get bytes(): number {
    return this.count.bytes;
  }

  get alive(): boolean {
    return this.count.refs > 0;
  }
}

/** What {@link memory} reports: live tensors and the bytes they hold. */
export interface MemoryInfo {
  /** Live tensor handles on every device. */
  tensors: number;
  /** Bytes held by live storages on every device. */
  bytes: number;
  /** The same counts per device. */
  byDevice: Record<string, DeviceUsage>;
}

/** Live tensor handles and bytes held, overall and per device (`dl.memory()`), to find leaks. */
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
