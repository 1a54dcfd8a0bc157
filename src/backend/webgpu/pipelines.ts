/// <reference types="@webgpu/types" />
// The pipeline cache: one compiled pipeline per shader variant key (op, dtypes, operand
// layouts). Compiling costs milliseconds to a second, so nothing is compiled twice.
//
// Each pipeline gets an explicit bind group layout read off its WGSL declarations rather than
// layout "auto": the parameter block (binding 0) takes a dynamic offset, so a bind group
// depends only on the buffers bound, and the engine can reuse one across dispatches
// (creating a bind group is the costliest call of a dispatch in Dawn).

/** A pipeline's bind group layout and a small id naming its binding signature. */
export interface BindingLayout {
  readonly layout: GPUBindGroupLayout;
  readonly id: number;
}

const bindingLayouts = new WeakMap<GPUComputePipeline, BindingLayout>();

/** The layout a pipeline was created with (every pipeline comes from a PipelineCache). */
export function bindingLayoutOf(pipeline: GPUComputePipeline): BindingLayout {
  const found = bindingLayouts.get(pipeline);
  if (!found) throw new Error("internal error: a pipeline not made by the PipelineCache");
  return found;
}

const COMPUTE_STAGE = 0x4;
const BINDING =
  /@group\(0\)\s*@binding\((\d+)\)\s*var<\s*(uniform|storage)\s*(?:,\s*(read_write|read))?\s*>/g;

/** The bind group layout entries a WGSL module declares in group 0. */
export function bindingEntries(code: string): GPUBindGroupLayoutEntry[] {
  const entries: GPUBindGroupLayoutEntry[] = [];
  for (const [, at, space, access] of code.matchAll(BINDING)) {
    const binding = Number(at);
    if (space === "uniform")
      entries.push({
        binding,
        visibility: COMPUTE_STAGE,
        buffer: { type: "uniform", hasDynamicOffset: true },
      });
    else
      entries.push({
        binding,
        visibility: COMPUTE_STAGE,
        buffer: { type: access === "read_write" ? "storage" : "read-only-storage" },
      });
  }
  return entries.sort((a, b) => a.binding - b.binding);
}

export class PipelineCache {
  private readonly cache = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, BindingLayout>();

  constructor(private readonly device: GPUDevice) {}

  /** The pipeline for `key`, compiling `source()` on first use. */
  get(key: string, source: () => string): GPUComputePipeline {
    let pipeline = this.cache.get(key);
    if (!pipeline) {
      const code = source();
      const binding = this.layoutFor(bindingEntries(code));
      const module = this.device.createShaderModule({ code, label: key });
      pipeline = this.device.createComputePipeline({
        label: key,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [binding.layout] }),
        compute: { module, entryPoint: "main" },
      });
      bindingLayouts.set(pipeline, binding);
      this.cache.set(key, pipeline);
    }
    return pipeline;
  }

  /** One layout object per distinct signature, so equal signatures share bind groups. */
  private layoutFor(entries: GPUBindGroupLayoutEntry[]): BindingLayout {
    const signature = JSON.stringify(entries);
    let found = this.layouts.get(signature);
    if (!found) {
      found = { layout: this.device.createBindGroupLayout({ entries }), id: this.layouts.size };
      this.layouts.set(signature, found);
    }
    return found;
  }

  get size(): number {
    return this.cache.size;
  }
}
