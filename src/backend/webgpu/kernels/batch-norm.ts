// The fused batch-norm kernels on WebGPU (ops/batch-norm.ts has the maths). x [N, C, ...S] is
// contiguous. The statistics and the gradient run one workgroup per channel: its threads
// stride over the channel's N·S values and meet in a shared-memory tree; the gradient's
// workgroup then writes its channel of ∂x with the sums in hand. Applying the statistics is
// one thread per element.
import type { Kernel } from "../../registry.js";
import type { TensorView } from "../../backend.js";
import type { BatchNormAttrs } from "../../../ops/batch-norm.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;

// Parameter block: count (channels, or elements for the map), C, S, N, eps, then the
// operands' offsets from word 5.
const header = (bindings: readonly string[]) => /* wgsl */ `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${bindings.map((name, k) => `@group(0) @binding(${k + 2}) var<storage, read> ${name}: array<f32>;`).join("\n")}
var<workgroup> part: array<f32, ${WG}>;
// The workgroup's sum of v (every thread passes its partial; all get the total).
fn total(v: f32, lid: u32) -> f32 {
  workgroupBarrier();
  part[lid] = v;
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    workgroupBarrier();
    if (lid < s) { part[lid] += part[lid + s]; }
  }
  workgroupBarrier();
  return part[0];
}
// Element e of channel c's N·S values, as an index into x.
fn at(c: u32, e: u32) -> u32 { let S = mu(2u); return (e / S * mu(1u) + c) * S + e % S; }`;

const MOMENTS = /* wgsl */ `${header(["x"])}
${threadMain(WG, "c", "workgroup")}
  let n = mu(3u) * mu(2u);
  let xo = mu(5u);
  var acc = 0.0;
  for (var e = lid; e < n; e += ${WG}u) { acc += x[xo + at(c, e)]; }
  let mean = total(acc, lid) / f32(n);
  acc = 0.0;
  for (var e = lid; e < n; e += ${WG}u) { let d = x[xo + at(c, e)] - mean; acc += d * d; }
  let v = total(acc, lid) / f32(n);
  if (lid == 0u) { out[c] = mean; out[mu(1u) + c] = v; }
}`;

const APPLY = /* wgsl */ `${header(["x", "st", "w", "b"])}
${threadMain(WG)}
  let C = mu(1u);
  let c = (i / mu(2u)) % C;
  let inv = 1.0 / sqrt(st[mu(6u) + C + c] + mf(4u));
  out[i] = (x[mu(5u) + i] - st[mu(6u) + c]) * (inv * w[mu(7u) + c]) + b[mu(8u) + c];
}`;

const GRAD = /* wgsl */ `${header(["x", "st", "w", "g"])}
${threadMain(WG, "c", "workgroup")}
  let C = mu(1u);
  let n = mu(3u) * mu(2u);
  let mean = st[mu(6u) + c];
  let s = 1.0 / sqrt(st[mu(6u) + C + c] + mf(4u));
  var sg = 0.0;
  var sgc = 0.0;
  for (var e = lid; e < n; e += ${WG}u) {
    let k = at(c, e);
    let gv = g[mu(8u) + k];
    sg += gv;
    sgc += gv * (x[mu(5u) + k] - mean);
  }
  let sumG = total(sg, lid);
  let sumGX = total(sgc, lid) * s;
  let scale = w[mu(7u) + c] * s / f32(n);
  for (var e = lid; e < n; e += ${WG}u) {
    let k = at(c, e);
    let xhat = (x[mu(5u) + k] - mean) * s;
    out[k] = scale * (f32(n) * g[mu(8u) + k] - sumG - xhat * sumGX);
  }
  let size = n * C;
  if (lid == 0u) { out[size + c] = sumGX; out[size + C + c] = sumG; }
}`;

const SOURCES = {
  channelMoments: MOMENTS,
  batchNormTrain: APPLY,
  batchNormTrainGrad: GRAD,
} as const;

function launch(
  b: WebGpuBackend,
  name: keyof typeof SOURCES,
  inputs: readonly TensorView[],
  eps: number,
  outSize: number,
): GpuBuffer {
  const [x] = inputs;
  const [N, C] = x.shape;
  const S = x.shape.slice(2).reduce((p, q) => p * q, 1);
  const buf: GpuBuffer = b.output("float32", outSize);
  const perElement = name === "batchNormTrain";
  const count = perElement ? N * C * S : C;
  if (N * C * S === 0) return buf;
  const pipeline = b.pipelines.get(`bn:${name}`, () => SOURCES[name]);
  const meta = new Meta().u(0, count).u(1, C).u(2, S).u(3, N).f(4, eps);
  inputs.forEach((v, k) => meta.u(5 + k, v.offset));
  const buffers = [buf, ...inputs.map((v) => v.buffer as GpuBuffer)];
  b.engine.dispatch(pipeline, meta.words, buffers, perElement ? Math.ceil(count / WG) : count);
  return buf;
}

export const channelMomentsKernel: Kernel = (backend, inputs, _attrs, spec) =>
  outView(
    launch(backend as WebGpuBackend, "channelMoments", inputs, 0, 2 * inputs[0].shape[1]),
    spec,
  );

export const batchNormTrainKernel: Kernel = (backend, inputs, attrs: BatchNormAttrs, spec) => {
  const size = inputs[0].shape.reduce((p, q) => p * q, 1);
  return outView(launch(backend as WebGpuBackend, "batchNormTrain", inputs, attrs.eps, size), spec);
};

export const batchNormTrainGradKernel: Kernel = (backend, inputs, attrs: BatchNormAttrs, spec) => {
  const x = inputs[0];
  const size = x.shape.reduce((p, q) => p * q, 1) + 2 * x.shape[1];
  return outView(
    launch(backend as WebGpuBackend, "batchNormTrainGrad", inputs, attrs.eps, size),
    spec,
  );
};
