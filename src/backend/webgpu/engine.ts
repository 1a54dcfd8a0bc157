/// <reference types="@webgpu/types" />
// The command engine: every kernel records its dispatch into one open command encoder, and
// the batch is submitted only when a result must come back (read, sync), when the batch is
// full, or at the end of the current JavaScript task. A chain of ops therefore runs without
// any CPU round trip. Kernel parameters go to one uniform arena per batch (a single
// writeBuffer before the submit) instead of a buffer per dispatch.
import type { DType } from "../../tensor/dtype.js";
import { fail } from "../../tensor/errors.js";
import { BufferPool, GpuBuffer, USAGE, sizeClass } from "./buffer.js";
import { type LostInfo, deviceLostError, gpuError, indexError } from "./errors.js";
import { BindGroupCache } from "./bind-groups.js";

/** Bytes of parameters one dispatch may use (WebGPU's uniform offset alignment). */
export const META_BYTES = 256;
const MAX_DISPATCHES = 512;
const UPLOAD_BYTES = 1 << 20;
const MAX_GROUPS = 65535;

export interface EngineStats {
  dispatches: number;
  /** Bind groups created (the rest of the dispatches reused a cached one). */
  bindGroups: number;
  submits: number;
  reads: number;
}

export class GpuEngine {
  readonly pool: BufferPool;
  private batch = 0;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private inBatch = 0;
  private flushScheduled = false;
  private readonly arena: GPUBuffer;
  private readonly arenaData = new Uint8Array(MAX_DISPATCHES * META_BYTES);
  private readonly upload: GPUBuffer;
  private readonly uploadData = new Uint8Array(UPLOAD_BYTES);
  private uploadUsed = 0;
  /** Index kernels set an error code here; read back with every result. */
  readonly status: GPUBuffer;
  private statusDirty = false;
  private errors: GPUError[] = [];
  lost: LostInfo | null = null;
  readonly stats: EngineStats = { dispatches: 0, bindGroups: 0, submits: 0, reads: 0 };
  private readonly bindGroups: BindGroupCache;
  private lastPipeline: GPUComputePipeline | null = null;
  /** Buffers freed while the open batch still uses them, released once it is submitted. */
  private freedInBatch: GpuBuffer[] = [];

  constructor(
    readonly device: GPUDevice,
    maxPooledBytes: number,
  ) {
    this.pool = new BufferPool(device, maxPooledBytes);
    this.arena = device.createBuffer({
      size: this.arenaData.byteLength,
      usage: USAGE.UNIFORM | USAGE.COPY_DST,
    });
    this.bindGroups = new BindGroupCache(device, this.arena, META_BYTES);
    this.upload = device.createBuffer({
      size: UPLOAD_BYTES,
      usage: USAGE.COPY_SRC | USAGE.COPY_DST,
    });
    this.status = device.createBuffer({
      size: 16,
      usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST,
    });
    device.onuncapturederror = (ev) => this.errors.push(ev.error);
    void device.lost.then((info) => {
      this.lost = { reason: info.reason ?? "unknown", message: info.message ?? "" };
    });
  }

  checkAlive(): void {
    if (this.lost) throw deviceLostError(this.lost);
  }

  /** A buffer that reads as zeros (cleared on the GPU only if a kernel reads it). */
  alloc(dtype: DType, length: number): GpuBuffer {
    this.checkAlive();
    const buf = this.pool.acquire(dtype, length);
    buf.needsZero = true;
    return buf;
  }

  /** A kernel output: the kernel writes every element, so no clearing is needed. */
  output(dtype: DType, length: number): GpuBuffer {
    this.checkAlive();
    return this.pool.acquire(dtype, length);
  }

  free(buf: GpuBuffer): void {
    if (buf.freed) return;
    buf.freed = true;
    if (this.lost) return;
    // A buffer destroyed before the batch that uses it is submitted fails that submit ("used
    // in submit while destroyed"); once submitted, WebGPU keeps it until the work is done.
    if (this.encoder && buf.lastUse === this.batch && this.pool.wouldDestroy(buf))
      this.freedInBatch.push(buf);
    else this.pool.release(buf);
  }

  /** Host data into a buffer from element 0; ordered after every op recorded before it. */
  write(buf: GpuBuffer, data: Uint32Array | Int32Array | Float32Array): void {
    this.checkAlive();
    let src = data;
    if (buf.needsZero && data.length < buf.length) {
      const full = new Uint32Array(buf.length);
      full.set(new Uint32Array(data.buffer, data.byteOffset, data.length));
      src = full;
    }
    buf.needsZero = false;
    const bytes = src.byteLength;
    if (buf.lastUse === this.batch && bytes <= UPLOAD_BYTES / 4) {
      // queue.writeBuffer would land before the pending batch that still uses this buffer,
      // so small writes go through the upload arena and a copy recorded in order.
      if (this.uploadUsed + bytes > UPLOAD_BYTES) this.flush();
      else {
        const at = this.uploadUsed;
        this.uploadData.set(new Uint8Array(src.buffer, src.byteOffset, bytes), at);
        this.uploadUsed += Math.ceil(bytes / 4) * 4;
        this.copy(this.upload, at, buf, 0, bytes);
        return;
      }
    }
    if (buf.lastUse === this.batch) this.flush();
    this.device.queue.writeBuffer(buf.gpu, 0, src.buffer, src.byteOffset, bytes);
  }

  /** Records `use` of a buffer by the next command: clears it first when still owed zeros. */
  private use(buf: GpuBuffer): void {
    if (buf.freed) fail("webgpu", `internal error: buffer ${buf.id} used after it was freed`);
    if (buf.needsZero) {
      buf.needsZero = false;
      this.endPass().clearBuffer(buf.gpu, 0, buf.bytes);
    }
    buf.lastUse = this.batch;
  }

  private begin(): GPUCommandEncoder {
    this.checkAlive();
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    return this.encoder;
  }

  private endPass(): GPUCommandEncoder {
    const enc = this.begin();
    if (this.pass) {
      this.pass.end();
      this.pass = null;
    }
    return enc;
  }

  clear(buf: GpuBuffer): void {
    this.use(buf);
    this.endPass().clearBuffer(buf.gpu, 0, buf.bytes);
  }

  copy(src: GPUBuffer | GpuBuffer, srcByte: number, dst: GpuBuffer, dstByte: number, n: number) {
    if (src instanceof GpuBuffer) this.use(src);
    this.use(dst);
    const s = src instanceof GpuBuffer ? src.gpu : src;
    this.endPass().copyBufferToBuffer(s, srcByte, dst.gpu, dstByte, n);
  }

  /**
   * Records one dispatch. Binding 0 is the parameter block `meta`, then `buffers` in order;
   * `groups` is a workgroup count (spread over x and y past the 65,535 per-dimension limit)
   * or an explicit [x, y, z] grid.
   */
  dispatch(
    pipeline: GPUComputePipeline,
    meta: Uint32Array,
    buffers: readonly (GpuBuffer | GPUBuffer)[],
    groups: number | readonly [number, number, number],
  ): void {
    const grid = typeof groups === "number" ? spread(groups) : groups;
    if (grid[0] * grid[1] * grid[2] === 0) return;
    if (this.inBatch >= MAX_DISPATCHES) this.flush();
    for (const b of buffers) if (b instanceof GpuBuffer) this.use(b);
    if (buffers.includes(this.status)) this.statusDirty = true;
    const at = this.inBatch * META_BYTES;
    this.arenaData.set(new Uint8Array(meta.buffer, meta.byteOffset, meta.byteLength), at);
    const gpuBuffers = buffers.map((b) => (b instanceof GpuBuffer ? b.gpu : b));
    const group = this.bindGroups.get(pipeline, gpuBuffers);
    this.stats.bindGroups = this.bindGroups.created;
    const enc = this.begin();
    if (!this.pass) {
      this.pass = enc.beginComputePass();
      this.lastPipeline = null;
    }
    if (pipeline !== this.lastPipeline) this.pass.setPipeline(pipeline);
    this.lastPipeline = pipeline;
    this.pass.setBindGroup(0, group, [at]);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.inBatch++;
    this.stats.dispatches++;
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder || this.lost) return;
    if (this.pass) this.pass.end();
    const q = this.device.queue;
    if (this.inBatch) q.writeBuffer(this.arena, 0, this.arenaData, 0, this.inBatch * META_BYTES);
    if (this.uploadUsed) q.writeBuffer(this.upload, 0, this.uploadData, 0, this.uploadUsed);
    q.submit([this.encoder.finish()]);
    for (const buf of this.freedInBatch) this.pool.release(buf);
    this.freedInBatch = [];
    this.encoder = null;
    this.pass = null;
    this.inBatch = 0;
    this.uploadUsed = 0;
    this.batch++;
    this.stats.submits++;
  }

  /** Copies `length` elements from `start` back to the host (the only way data returns). */
  async read(buf: GpuBuffer, start: number, length: number): Promise<ArrayBuffer> {
    this.checkAlive();
    this.stats.reads++;
    return this.readBack(buf, start, length);
  }

  /** Resolves when the GPU has finished everything submitted; raises GPU errors. */
  async sync(): Promise<void> {
    this.checkAlive();
    if (this.statusDirty) await this.readBack(null, 0, 0);
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.raiseFailures();
  }

  /** Reads a range (and the index status word when an index kernel ran) in one submit. */
  private async readBack(buf: GpuBuffer | null, start: number, length: number) {
    const bytes = buf ? length * 4 : 0;
    const withStatus = this.statusDirty;
    const staging = this.device.createBuffer({
      size: sizeClass(bytes + 16),
      usage: USAGE.MAP_READ | USAGE.COPY_DST,
    });
    if (buf && bytes) {
      this.use(buf);
      this.endPass().copyBufferToBuffer(buf.gpu, start * 4, staging, 0, bytes);
    }
    if (withStatus) {
      this.endPass().copyBufferToBuffer(this.status, 0, staging, bytes, 16);
      this.statusDirty = false;
    }
    this.begin();
    this.flush();
    try {
      await staging.mapAsync(0x1);
    } catch (e) {
      this.raiseFailures();
      throw e;
    }
    const out = staging.getMappedRange(0, bytes + 16).slice(0);
    staging.unmap();
    staging.destroy();
    this.raiseFailures();
    if (withStatus) this.raiseIndexError(new Uint32Array(out, bytes, 4));
    return out.slice(0, bytes);
  }

  private raiseFailures(): void {
    this.checkAlive();
    const err = this.errors.shift();
    if (!err) return;
    this.errors = [];
    const stats = this.pool.snapshot();
    this.pool.trim();
    throw gpuError(err, stats);
  }

  private raiseIndexError(words: Uint32Array): void {
    if (words[0] === 0) return;
    const [code, index, size] = [words[0], words[1] | 0, words[2]];
    this.device.queue.writeBuffer(this.status, 0, new Uint32Array(4));
    throw indexError(code, index, size);
  }
}

function spread(count: number): [number, number, number] {
  if (count <= MAX_GROUPS) return [count, 1, 1];
  const y = Math.ceil(count / MAX_GROUPS);
  if (y > MAX_GROUPS) fail("webgpu", `a dispatch of ${count} workgroups is too large`);
  return [MAX_GROUPS, y, 1];
}
