/// <reference types="@webgpu/types" />
// The pipeline cache: one compiled pipeline per shader variant key (op, dtypes, operand
// layouts). Compiling costs milliseconds to a second, so nothing is compiled twice.

export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline for `key`, compiling `source()` on first use. */
  get(key: string, source: () => string): GPUComputePipeline {
    let pipeline = this.cache.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code: source(), label: key });
      pipeline = this.device.createComputePipeline({
        label: key,
        layout: "auto",
        compute: { module, entryPoint: "main" },
      });
      this.cache.set(key, pipeline);
    }
    return pipeline;
  }

  get size(): number {
    return this.cache.size;
  }
}
