// Adam's one-pass update on WebGPU (ops/adam-step.ts has the maths): a thread per element.
import type { Kernel } from "../../registry.js";
import type { AdamStepAttrs } from "../../../ops/adam-step.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;

// Parameter block: n, offsets of θ, g, m, v (1-4), then 1 − β₁, β₂, 1 − β₂, stepSize, ε·c.
const SOURCE = /* wgsl */ `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read> g: array<f32>;
@group(0) @binding(4) var<storage, read> m: array<f32>;
@group(0) @binding(5) var<storage, read> v: array<f32>;
${threadMain(WG)}
  let n = mu(0u);
  let gi = g[mu(2u) + i];
  let mo = m[mu(3u) + i];
  let mi = mo + mf(5u) * (gi - mo);
  let vi = v[mu(4u) + i] * mf(6u) + gi * gi * mf(7u);
  out[i] = p[mu(1u) + i] - mf(8u) * mi / (sqrt(vi) + mf(9u));
  out[n + i] = mi;
  out[2u * n + i] = vi;
}`;

export const adamStepKernel: Kernel = (backend, inputs, a: AdamStepAttrs, spec) => {
  const b = backend as WebGpuBackend;
  const n = inputs[0].shape.reduce((x, y) => x * y, 1);
  const buf: GpuBuffer = b.output("float32", 3 * n);
  if (n === 0) return outView(buf, spec);
  const pipeline = b.pipelines.get("adamStep", () => SOURCE);
  const meta = new Meta().u(0, n);
  inputs.forEach((v, k) => meta.i(1 + k, v.offset));
  meta.f(5, a.oneMinusBeta1).f(6, a.beta2).f(7, a.oneMinusBeta2).f(8, a.stepSize).f(9, a.eps);
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return outView(buf, spec);
};
