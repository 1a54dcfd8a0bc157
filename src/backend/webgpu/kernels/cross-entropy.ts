// The fused cross-entropy kernels on WebGPU (ops/cross-entropy.ts has the maths): one thread
// per row of logits, which loops over the row for its max, Σ e^(x − max) and the weighted
// sums, then writes the row's loss (forward) or softmax − target (backward). Rows are few
// and short in the losses this serves (a batch of class scores), so a thread per row keeps
// the program simple; an out-of-range target is reported through the engine's status word
// like gather's, and its row is written as 0.
import type { Kernel } from "../../registry.js";
import type { CrossEntropyAttrs } from "../../../ops/cross-entropy.js";
import type { WebGpuBackend } from "../backend.js";
import type { GpuBuffer } from "../buffer.js";
import { Meta } from "../layout.js";
import { META_WGSL, threadMain } from "../wgsl.js";
import { outView } from "./map.js";

const WG = 64;
/** The status code the engine turns into crossEntropy's out-of-range error (errors.ts). */
const STATUS_CODE = 3;

// Parameter block: rows, classes, offsets of x, t, w, g, ignoreIndex, smoothing.
const header = (withGrad: boolean) => /* wgsl */ `${META_WGSL}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> t: array<i32>;
@group(0) @binding(4) var<storage, read> w: array<f32>;
@group(0) @binding(5) var<storage, read_write> status: array<atomic<u32>, 4>;
${withGrad ? "@group(0) @binding(6) var<storage, read> g: array<f32>;" : ""}
fn report(v: i32) {
  loop {
    let r = atomicCompareExchangeWeak(&status[0], 0u, ${STATUS_CODE}u);
    if (r.exchanged) { atomicStore(&status[1], bitcast<u32>(v)); atomicStore(&status[2], mu(1u)); break; }
    if (r.old_value != 0u) { break; }
  }
}
${threadMain(WG)}
  let c = mu(1u);
  let at = mu(2u) + i * c;
  let wo = mu(4u);
  let eps = mf(7u);
  let tgt = t[mu(3u) + i];
  let skip = tgt == ms(6u);
  if (!skip && (tgt < 0 || u32(tgt) >= c)) { report(tgt); }
  let valid = !skip && tgt >= 0 && u32(tgt) < c;
  var mx = x[at];
  for (var j = 1u; j < c; j++) { mx = max(mx, x[at + j]); }
  // A row of infinities shifts by 0 so the result keeps PyTorch's inf/NaN.
  let shift = select(0.0, mx, abs(mx) <= 3.4028234e38);
  var s = 0.0;
  var ws = 0.0;
  var wl = 0.0;
  for (var j = 0u; j < c; j++) {
    let v = x[at + j];
    s += exp(v - shift);
    ws += w[wo + j];
    wl += w[wo + j] * v;
  }
  let lse = shift + log(s);
  let k = u32(select(0, tgt, valid));
  let hard = (1.0 - eps) * w[wo + k];`;

const FORWARD = /* wgsl */ `${header(false)}
  if (!valid) { out[i] = 0.0; return; }
  var loss = hard * (lse - x[at + k]);
  if (eps > 0.0) { loss += (eps / f32(c)) * (lse * ws - wl); }
  out[i] = loss;
}`;

const BACKWARD = /* wgsl */ `${header(true)}
  let row = i * c;
  if (!valid) {
    for (var j = 0u; j < c; j++) { out[row + j] = 0.0; }
    return;
  }
  let gi = g[mu(5u) + i];
  let coef = gi * (hard + (eps / f32(c)) * ws);
  let spread = gi * eps / f32(c);
  for (var j = 0u; j < c; j++) { out[row + j] = coef * exp(x[at + j] - lse) - spread * w[wo + j]; }
  out[row + k] -= gi * hard;
}`;

function launch(
  b: WebGpuBackend,
  name: string,
  source: string,
  views: readonly { buffer: unknown; offset: number }[],
  shape: readonly number[],
  attrs: CrossEntropyAttrs,
  outSize: number,
): GpuBuffer {
  const [n, c] = shape;
  const buf: GpuBuffer = b.output("float32", outSize);
  if (n === 0) return buf;
  const pipeline = b.pipelines.get(name, () => source);
  const meta = new Meta().u(0, n).u(1, c);
  views.forEach((v, k) => meta.i(2 + k, v.offset));
  meta.i(6, attrs.ignoreIndex).f(7, attrs.smoothing);
  const [x, t, w, g] = views.map((v) => v.buffer as GpuBuffer);
  const buffers = [buf, x, t, w, b.engine.status, ...(g ? [g] : [])];
  b.engine.dispatch(pipeline, meta.words, buffers, Math.ceil(n / WG));
  return buf;
}

export const crossEntropyKernel: Kernel = (backend, inputs, attrs: CrossEntropyAttrs, spec) => {
  const x = inputs[0];
  const buf = launch(backend as WebGpuBackend, "xent", FORWARD, inputs, x.shape, attrs, x.shape[0]);
  return outView(buf, spec);
};

export const crossEntropyGradKernel: Kernel = (backend, inputs, attrs: CrossEntropyAttrs, spec) => {
  const x = inputs[0];
  const size = x.shape[0] * x.shape[1];
  const buf = launch(backend as WebGpuBackend, "xentGrad", BACKWARD, inputs, x.shape, attrs, size);
  return outView(buf, spec);
};
