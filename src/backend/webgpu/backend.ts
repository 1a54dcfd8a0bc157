/// <reference types="@webgpu/types" />
// The WebGPU backend: the Backend contract over one GPUDevice. Buffers hold 4 bytes per
// element (bool as u32); write() and read() convert from and to the CPU's typed arrays.
import type { AdapterInfo, Backend, BackendBuffer } from "../backend.js";
import type { DType, TypedArray } from "../../tensor/dtype.js";
import { fail } from "../../tensor/errors.js";
import { GpuBuffer } from "./buffer.js";
import { GpuEngine } from "./engine.js";
import { PipelineCache } from "./pipelines.js";
import { fillUniform } from "./kernels/random.js";

export class WebGpuBackend implements Backend {
  readonly device = "webgpu" as const;
  readonly engine: GpuEngine;
  readonly pipelines: PipelineCache;

  constructor(
    readonly gpuDevice: GPUDevice,
    private readonly adapterInfo: AdapterInfo,
    readonly limits: { maxBufferSize: number; maxStorageBufferBindingSize: number },
  ) {
    // Keep at most a quarter of the largest buffer (and no less than 256 MiB) pooled.
    this.engine = new GpuEngine(gpuDevice, Math.max(limits.maxBufferSize / 4, 256 * 2 ** 20));
    this.pipelines = new PipelineCache(gpuDevice);
  }

  /** True once the device is lost: dl.useDevice("webgpu") then starts a new one. */
  get lost(): boolean {
    return this.engine.lost !== null;
  }

  alloc(dtype: DType, length: number): BackendBuffer {
    this.checkSize("alloc", length);
    return this.engine.alloc(dtype, length);
  }

  /** A fresh buffer for a kernel to fill completely. */
  output(dtype: DType, length: number): GpuBuffer {
    this.checkSize("webgpu", length);
    return this.engine.output(dtype, length);
  }

  free(buffer: BackendBuffer): void {
    this.engine.free(buffer as GpuBuffer);
  }

  write(buffer: BackendBuffer, data: TypedArray): void {
    const buf = buffer as GpuBuffer;
    const words = data instanceof Uint8Array ? Uint32Array.from(data, (v) => (v ? 1 : 0)) : data;
    this.engine.write(buf, words);
  }

  async read(buffer: BackendBuffer, start: number, length: number): Promise<TypedArray> {
    const bytes = await this.engine.read(buffer as GpuBuffer, start, length);
    switch (buffer.dtype) {
      case "float32":
        return new Float32Array(bytes);
      case "int32":
        return new Int32Array(bytes);
      case "bool":
        return Uint8Array.from(new Uint32Array(bytes), (v) => (v ? 1 : 0));
    }
  }

  fillUniform(buffer: BackendBuffer, key: readonly [number, number]): void {
    fillUniform(this, buffer as GpuBuffer, key);
  }

  sync(): Promise<void> {
    return this.engine.sync();
  }

  info(): AdapterInfo {
    return { ...this.adapterInfo };
  }

  /** Buffer and dispatch counters (for tests and benchmarks). */
  stats() {
    return {
      ...this.engine.pool.snapshot(),
      ...this.engine.stats,
      pipelines: this.pipelines.size,
    };
  }

  private checkSize(op: string, length: number): void {
    const bytes = length * 4;
    const max = Math.min(this.limits.maxBufferSize, this.limits.maxStorageBufferBindingSize);
    if (bytes > max)
      fail(
        op,
        `cannot hold ${length} elements (${(bytes / 2 ** 20).toFixed(1)} MiB) in one WebGPU ` +
          `buffer: this adapter allows at most ${(max / 2 ** 20).toFixed(1)} MiB. Split the ` +
          `tensor, use a smaller batch, or keep it on the CPU.`,
      );
  }
}
