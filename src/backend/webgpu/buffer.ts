/// <reference types="@webgpu/types" />
// GPU buffers and their pool. Every element is 4 bytes on the GPU (bool is stored as u32), so
// a buffer of n elements needs 4n bytes. Freed buffers go back to a pool keyed by size class
// (four classes per power of two, so at most 25% is wasted) and are handed out again before
// anything new is created: a training loop reuses the same few buffers every step.
import type { BackendBuffer } from "../backend.js";
import type { DType } from "../../tensor/dtype.js";

/** WebGPU's usage flags (spec values; Node has no GPUBufferUsage global). */
export const USAGE = {
  MAP_READ: 0x1,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
} as const;

const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST;
const MIN_BYTES = 256;

let nextId = 1;

export class GpuBuffer implements BackendBuffer {
  readonly device = "webgpu" as const;
  readonly id = nextId++;
  /** The batch number of the last recorded command that touched this buffer. */
  lastUse = -1;
  /** Allocated zero-filled but not yet cleared on the GPU (cleared lazily on first use). */
  needsZero = false;
  freed = false;

  constructor(
    readonly dtype: DType,
    readonly length: number,
    readonly gpu: GPUBuffer,
    /** Capacity in bytes (the size class). */
    readonly bytes: number,
  ) {}

  /** What dl.memory() counts: the whole allocation, 4 bytes per element (bool too), rounded. */
  get byteLength(): number {
    return this.bytes;
  }
}

/** The size class of a request: a multiple of a quarter of the enclosing power of two. */
export function sizeClass(bytes: number): number {
  const b = Math.max(bytes, MIN_BYTES);
  const quarter = 2 ** Math.max(Math.floor(Math.log2(b)) - 2, 0);
  return Math.ceil(b / quarter) * quarter;
}

export interface PoolStats {
  /** Bytes in buffers handed out (live tensors and kernel outputs). */
  inUse: number;
  /** Bytes in buffers kept for reuse. */
  pooled: number;
  /** GPU buffers created since the device started. */
  created: number;
}

/** A pooled GPU buffer remembers the batch that last used it (see GpuEngine.write). */
interface Pooled {
  gpu: GPUBuffer;
  lastUse: number;
}

export class BufferPool {
  private free = new Map<number, Pooled[]>();
  private stats: PoolStats = { inUse: 0, pooled: 0, created: 0 };

  private createdSinceCollect = { count: 0, bytes: 0 };
  /** Runs a full garbage collection (see platform/webgpu-node.ts), where one is available. */
  collect: (() => void) | null = null;

  constructor(
    private device: GPUDevice,
    /** Pooled bytes above this are destroyed instead of kept. */
    private maxPooled: number,
  ) {}

  /**
   * Tensors dropped without dispose() return their buffers only when the garbage collector
   * finalizes them, and V8 cannot see GPU memory: after many new buffers, ask for a
   * collection so the next turn of the event loop returns the dropped ones to the pool.
   */
  private noteCreated(bytes: number): void {
    const c = this.createdSinceCollect;
    c.count++;
    c.bytes += bytes;
    if (this.collect && (c.count >= 2048 || c.bytes >= 64 * 2 ** 20)) {
      c.count = c.bytes = 0;
      this.collect();
    }
  }

  acquire(dtype: DType, length: number): GpuBuffer {
    const bytes = sizeClass(length * 4);
    const reused = this.free.get(bytes)?.pop();
    if (reused) this.stats.pooled -= bytes;
    else {
      this.stats.created++;
      this.noteCreated(bytes);
    }
    const gpu = reused?.gpu ?? this.device.createBuffer({ size: bytes, usage: STORAGE_USAGE });
    this.stats.inUse += bytes;
    const buf = new GpuBuffer(dtype, length, gpu, bytes);
    buf.lastUse = reused?.lastUse ?? -1;
    return buf;
  }

  /** Whether releasing `buf` now would destroy it (the pool is full) rather than keep it. */
  wouldDestroy(buf: GpuBuffer): boolean {
    return this.stats.pooled + buf.bytes > this.maxPooled;
  }

  release(buf: GpuBuffer): void {
    this.stats.inUse -= buf.bytes;
    if (this.wouldDestroy(buf)) {
      buf.gpu.destroy();
      return;
    }
    let list = this.free.get(buf.bytes);
    if (!list) this.free.set(buf.bytes, (list = []));
    list.push({ gpu: buf.gpu, lastUse: buf.lastUse });
    this.stats.pooled += buf.bytes;
  }

  /** Destroys every pooled buffer (after an out-of-memory error, or on request). */
  trim(): void {
    for (const list of this.free.values()) for (const b of list) b.gpu.destroy();
    this.free.clear();
    this.stats.pooled = 0;
  }

  snapshot(): PoolStats {
    return { ...this.stats };
  }
}
