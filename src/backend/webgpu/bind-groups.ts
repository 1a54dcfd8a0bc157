/// <reference types="@webgpu/types" />
// Bind groups kept for reuse. Binding 0 (the parameter arena) takes a dynamic offset, so a
// bind group depends only on the pipeline's layout and the buffers bound; a training step
// binds the same pooled buffers in the same order every step, so after the first step almost
// every dispatch finds its group here instead of creating one (creating a bind group is the
// costliest call of a dispatch in Dawn).
import { bindingLayoutOf } from "./pipelines.js";

/** Past this many the cache starts afresh (ids are never reused, so nothing goes stale). */
const MAX_BIND_GROUPS = 8192;

export class BindGroupCache {
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private count = 0;
  /** Bind groups created (the rest of the lookups reused a cached one). */
  created = 0;

  constructor(
    private readonly device: GPUDevice,
    /** Bound at binding 0 with a dynamic offset into it. */
    private readonly arena: GPUBuffer,
    private readonly arenaWindow: number,
  ) {}

  /** The group binding `buffers` from binding 1 on, under the pipeline's layout. */
  get(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[]): GPUBindGroup {
    const { layout, id } = bindingLayoutOf(pipeline);
    let key = `${id}`;
    for (const b of buffers) key += `,${this.idOf(b)}`;
    let group = this.groups.get(key);
    if (!group) {
      if (this.groups.size >= MAX_BIND_GROUPS) this.groups.clear();
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: this.arena, offset: 0, size: this.arenaWindow } },
        ...buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ];
      group = this.device.createBindGroup({ layout, entries });
      this.created++;
      this.groups.set(key, group);
    }
    return group;
  }

  /**
   * An id per GPU buffer object: keyed on Dawn's buffer rather than the engine's wrapper,
   * since the pool hands the same GPU buffer out again under a new wrapper.
   */
  private idOf(b: GPUBuffer): number {
    let id = this.ids.get(b);
    if (id === undefined) this.ids.set(b, (id = this.count++));
    return id;
  }
}
