// The fused GRU cell kernels on WebGPU (ops/gru-cell.ts has the equations): one thread per
// batch × hidden element, reading its three gate projections from gi and gh.
import type { Kernel } from "../../registry.js";
import type { TensorView } from "../../backend.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, mathFor, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;

// Parameter block: elements n, hidden H, offsets of gi, gh, h, g.
const program = (withGrad: boolean) => {
  const body = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> gi: array<f32>;
@group(0) @binding(3) var<storage, read> gh: array<f32>;
@group(0) @binding(4) var<storage, read> hs: array<f32>;
${withGrad ? "@group(0) @binding(5) var<storage, read> g: array<f32>;" : ""}
${threadMain(WG)}
  let n = mu(0u);
  let h = mu(1u);
  let k = (i / h) * 3u * h + i % h;
  let a = mu(2u) + k;
  let b = mu(3u) + k;
  let r = sigmoidf_(gi[a] + gh[b]);
  let z = sigmoidf_(gi[a + h] + gh[b + h]);
  let ghn = gh[b + 2u * h];
  let nn = tanhf_(gi[a + 2u * h] + r * ghn);
  let hv = hs[mu(4u) + i];
  ${
    withGrad
      ? `let ge = g[mu(5u) + i];
  let dn = ge * (1.0 - z) * (1.0 - nn * nn);
  let dr = dn * ghn * r * (1.0 - r);
  let dz = ge * (hv - nn) * z * (1.0 - z);
  out[k] = dr;
  out[k + h] = dz;
  out[k + 2u * h] = dn;
  out[3u * n + k] = dr;
  out[3u * n + k + h] = dz;
  out[3u * n + k + 2u * h] = dn * r;
  out[6u * n + i] = ge * z;`
      : `out[i] = nn + z * (hv - nn);`
  }
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
};

const FORWARD = program(false);
const BACKWARD = program(true);

function launch(b: WebGpuBackend, name: string, inputs: readonly TensorView[], per: number) {
  const h = inputs[2];
  const n = h.shape.reduce((x, y) => x * y, 1);
  const buf: GpuBuffer = b.output("float32", per * n);
  if (n === 0) return buf;
  const pipeline = b.pipelines.get(name, () => (name === "gruCell" ? FORWARD : BACKWARD));
  const meta = new Meta().u(0, n).u(1, h.shape[h.shape.length - 1]);
  inputs.forEach((v, k) => meta.i(2 + k, v.offset));
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return buf;
}

export const gruCellKernel: Kernel = (backend, inputs, _attrs, spec) =>
  outView(launch(backend as WebGpuBackend, "gruCell", inputs, 1), spec);

export const gruCellGradKernel: Kernel = (backend, inputs, _attrs, spec) =>
  outView(launch(backend as WebGpuBackend, "gruCellGrad", inputs, 7), spec);
