// The fused LSTM cell kernels on WebGPU (ops/lstm-cell.ts has the equations): one thread per
// batch × hidden element, reading its four gate projections from gi and gh.
import type { Kernel } from "../../registry.js";
import type { TensorView } from "../../backend.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, mathFor, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;

// Parameter block: elements n, hidden H, offsets of gi, gh, c, g.
const program = (withGrad: boolean) => {
  const body = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> gi: array<f32>;
@group(0) @binding(3) var<storage, read> gh: array<f32>;
@group(0) @binding(4) var<storage, read> c: array<f32>;
${withGrad ? "@group(0) @binding(5) var<storage, read> g: array<f32>;" : ""}
${threadMain(WG)}
  let n = mu(0u);
  let h = mu(1u);
  let k = (i / h) * 4u * h + i % h;
  let a = mu(2u) + k;
  let b = mu(3u) + k;
  let ig = sigmoidf_(gi[a] + gh[b]);
  let fg = sigmoidf_(gi[a + h] + gh[b + h]);
  let gg = tanhf_(gi[a + 2u * h] + gh[b + 2u * h]);
  let og = sigmoidf_(gi[a + 3u * h] + gh[b + 3u * h]);
  let cv = c[mu(4u) + i];
  let cn = fg * cv + ig * gg;
  let tc = tanhf_(cn);
  ${
    withGrad
      ? `let dh = g[mu(5u) + i];
  let dc = g[mu(5u) + n + i] + dh * og * (1.0 - tc * tc);
  out[k] = dc * gg * ig * (1.0 - ig);
  out[k + h] = dc * cv * fg * (1.0 - fg);
  out[k + 2u * h] = dc * ig * (1.0 - gg * gg);
  out[k + 3u * h] = dh * tc * og * (1.0 - og);
  out[4u * n + i] = dc * fg;`
      : `out[i] = og * tc;
  out[n + i] = cn;`
  }
}`;
  return `${META_WGSL}\n${mathFor(body)}\n${body}`;
};

const FORWARD = program(false);
const BACKWARD = program(true);

function launch(b: WebGpuBackend, name: string, inputs: readonly TensorView[], per: number) {
  const c = inputs[2];
  const n = c.shape.reduce((x, y) => x * y, 1);
  const buf: GpuBuffer = b.output("float32", per * n);
  if (n === 0) return buf;
  const pipeline = b.pipelines.get(name, () => (name === "lstmCell" ? FORWARD : BACKWARD));
  const meta = new Meta().u(0, n).u(1, c.shape[c.shape.length - 1]);
  inputs.forEach((v, k) => meta.i(2 + k, v.offset));
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return buf;
}

export const lstmCellKernel: Kernel = (backend, inputs, _attrs, spec) =>
  outView(launch(backend as WebGpuBackend, "lstmCell", inputs, 2), spec);

export const lstmCellGradKernel: Kernel = (backend, inputs, _attrs, spec) =>
  outView(launch(backend as WebGpuBackend, "lstmCellGrad", inputs, 5), spec);
