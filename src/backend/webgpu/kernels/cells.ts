// What the fused recurrent cell kernels on WebGPU (lstm-cell.ts, gru-cell.ts) share: one
// thread per batch × hidden element of the state (the third input), a parameter block of
// [elements n, hidden H, then each input's element offset], and an output of `per` values
// per element (h' and c', or the flattened gradients).
import type { Kernel } from "../../registry.js";
import type { TensorView } from "../../backend.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { outView } from "./map.js";

/** Threads per workgroup of every cell program. */
export const CELL_WG = 256;

function launch(
  b: WebGpuBackend,
  name: string,
  wgsl: string,
  inputs: readonly TensorView[],
  per: number,
) {
  const state = inputs[2];
  const n = state.shape.reduce((x, y) => x * y, 1);
  const buf: GpuBuffer = b.output("float32", per * n);
  if (n === 0) return buf;
  const pipeline = b.pipelines.get(name, () => wgsl);
  const meta = new Meta().u(0, n).u(1, state.shape[state.shape.length - 1]);
  inputs.forEach((v, k) => meta.i(2 + k, v.offset));
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / CELL_WG));
  return buf;
}

/** The kernel running program `wgsl` (cached under `name`) with `per` outputs per element. */
export const cellKernel =
  (name: string, wgsl: string, per: number): Kernel =>
  (backend, inputs, _attrs, spec) =>
    outView(launch(backend as WebGpuBackend, name, wgsl, inputs, per), spec);
