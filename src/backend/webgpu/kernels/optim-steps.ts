// The optimizers' updates over a list of parameters on WebGPU (ops/optim-steps.ts has the
// maths and the output layout): one output buffer, one dispatch per parameter recorded in the
// same pass (a thread per element), each writing its results at its offset.
import type { Kernel, OutputSpec } from "../../registry.js";
import type {
  AdagradStepsAttrs,
  AdamStepsAttrs,
  RmspropStepsAttrs,
  SgdStepsAttrs,
} from "../../../ops/optim-steps.js";
import { stepWidth } from "../../../ops/optim-steps.js";
import type { TensorView } from "../../backend.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 256;

// What both programs start with: the output and the operands' bindings, the gradient followed
// (±g + λθ, words 6 and 7, as the composed ops did) and the element's indices: n (word 0),
// the operands' offsets from word 1, the output offset (word 5).
const prologue = (operands: readonly string[]) => /* wgsl */ `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
${operands.map((x, k) => `@group(0) @binding(${k + 2}) var<storage, read> ${x}: array<f32>;`).join("\n")}
fn followed(g: f32, p: f32) -> f32 {
  var gi = mf(6u) * g;
  if (mf(7u) != 0.0) { gi = gi + p * mf(7u); }
  return gi;
}
${threadMain(WG)}
  let n = mu(0u);
  let o = mu(5u) + i;
  let p0 = p[mu(1u) + i];
  let gi = followed(g[mu(2u) + i], p0);`;

// Words past the prologue's: θ scale (8, AdamW), 1 − β₁, β₂, 1 − β₂, stepSize, ε·c (9-13).
const ADAM = /* wgsl */ `${prologue(["p", "g", "m", "v"])}
  var pi = p0;
  if (mf(8u) != 1.0) { pi = p0 * mf(8u); }
  let mo = m[mu(3u) + i];
  let mi = mo + mf(9u) * (gi - mo);
  let vi = v[mu(4u) + i] * mf(10u) + gi * gi * mf(11u);
  out[o] = pi - mf(12u) * mi / (sqrt(vi) + mf(13u));
  out[o + n] = mi;
  out[o + 2u * n] = vi;
}`;

// Words past the prologue's: lr, μ, 1 − τ (9-11), mode (12: 0 plain, 1 momentum, 2 Nesterov),
// fresh (13); b's offset is word 3.
const SGD = /* wgsl */ `${prologue(["p", "g", "b"])}
  let mode = mu(12u);
  if (mode == 0u) { out[o] = p0 - mf(9u) * gi; return; }
  var bi = gi;
  if (mu(13u) == 0u) { bi = b[mu(3u) + i] * mf(10u) + gi * mf(11u); }
  if (mode == 2u) { out[o] = p0 - mf(9u) * (gi + mf(10u) * bi); } else { out[o] = p0 - mf(9u) * bi; }
  out[o + n] = bi;
}`;

// Words past the prologue's: lr, α, 1 − α, ε, μ (9-13), centered (14), and the offsets of ḡ, v
// and b (16-18: three state tensors would reach word 5, the output offset).
const RMSPROP = /* wgsl */ `${prologue(["p", "g", "m", "v", "b"])}
  let v0 = v[mu(17u) + i];
  let sq = v0 * mf(10u) + gi * gi * mf(11u);
  var avg: f32;
  if (mu(14u) != 0u) {
    let ga = m[mu(16u) + i] * mf(10u) + gi * mf(11u);
    avg = sqrt(sq - ga * ga) + mf(12u);
    out[o + 2u * n] = ga;
  } else {
    avg = sqrt(sq) + mf(12u);
  }
  var delta = gi / avg;
  if (mf(13u) != 0.0) {
    delta = b[mu(18u) + i] * mf(13u) + delta;
    out[o + (2u + mu(14u)) * n] = delta;
  }
  out[o] = p0 - delta * mf(9u);
  out[o + n] = sq;
}`;

// Words past the prologue's: clr, ε (9, 10); the sum's offset is word 3.
const ADAGRAD = /* wgsl */ `${prologue(["p", "g", "s"])}
  let sum = s[mu(3u) + i] + gi * gi;
  out[o] = p0 - gi / (sqrt(sum) + mf(10u)) * mf(9u);
  out[o + n] = sum;
}`;

const SOURCES = { adamSteps: ADAM, sgdSteps: SGD, rmspropSteps: RMSPROP, adagradSteps: ADAGRAD };

/** Dispatches `name`'s program once per parameter (`per` operands each) into one buffer. */
function perParameter(
  backend: WebGpuBackend,
  name: keyof typeof SOURCES,
  inputs: readonly TensorView[],
  per: number,
  width: number,
  fill: (meta: Meta, parameter: number) => void,
  spec: OutputSpec,
): TensorView {
  const buf: GpuBuffer = backend.output("float32", spec.shape[0]);
  const pipeline = backend.pipelines.get(name, () => SOURCES[name]);
  let at = 0;
  for (let s = 0; s * per < inputs.length; s++) {
    const views = inputs.slice(s * per, s * per + per);
    const n = views[0].shape.reduce((x, y) => x * y, 1);
    if (n > 0) {
      const meta = new Meta().u(0, n).u(5, at);
      // Offsets from word 1: θ, g, then up to two state tensors (RMSprop's three go in its fill).
      views.slice(0, 4).forEach((v, k) => meta.i(1 + k, v.offset));
      fill(meta, s);
      const buffers = [buf, ...views.map((v) => v.buffer as GpuBuffer)];
      backend.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
    }
    at += width * n;
  }
  return outView(buf, spec);
}

export const adamStepsKernel: Kernel = (backend, inputs, a: AdamStepsAttrs, spec) =>
  perParameter(
    backend as WebGpuBackend,
    "adamSteps",
    inputs,
    4,
    3,
    (meta) => {
      meta.f(6, a.gradSign).f(7, a.weightDecay).f(8, Math.fround(a.paramScale));
      meta.f(9, a.oneMinusBeta1).f(10, a.beta2).f(11, a.oneMinusBeta2);
      meta.f(12, a.stepSize).f(13, a.eps);
    },
    spec,
  );

export const sgdStepsKernel: Kernel = (backend, inputs, a: SgdStepsAttrs, spec) =>
  perParameter(
    backend as WebGpuBackend,
    "sgdSteps",
    inputs,
    3,
    a.momentum ? 2 : 1,
    (meta, s) => {
      meta.f(6, a.gradSign).f(7, a.weightDecay).f(9, a.lr).f(10, a.momentum);
      meta.f(11, a.oneMinusDampening).u(12, a.momentum === 0 ? 0 : a.nesterov ? 2 : 1);
      meta.u(13, a.fresh[s] ? 1 : 0);
    },
    spec,
  );

export const rmspropStepsKernel: Kernel = (backend, inputs, a: RmspropStepsAttrs, spec) =>
  perParameter(
    backend as WebGpuBackend,
    "rmspropSteps",
    inputs,
    5,
    stepWidth("rmspropSteps", a),
    (meta, s) => {
      const at = (k: number) => inputs[5 * s + k].offset;
      meta
        .f(6, a.gradSign)
        .f(7, a.weightDecay)
        .f(9, a.lr)
        .f(10, a.alpha)
        .f(11, 1 - a.alpha);
      meta
        .f(12, a.eps)
        .f(13, a.momentum)
        .u(14, a.centered ? 1 : 0);
      meta.i(16, at(2)).i(17, at(3)).i(18, at(4));
    },
    spec,
  );

export const adagradStepsKernel: Kernel = (backend, inputs, a: AdagradStepsAttrs, spec) =>
  perParameter(
    backend as WebGpuBackend,
    "adagradSteps",
    inputs,
    3,
    2,
    (meta) => meta.f(6, a.gradSign).f(7, a.weightDecay).f(9, a.lr).f(10, a.eps),
    spec,
  );
