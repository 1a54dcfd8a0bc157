// Adam's one-pass update on the CPU (ops/adam-step.ts has the maths): the native kernel
// (kernels/optim.c, vectorized and threaded) where the addon is loaded, else this loop. Both
// compute the same doubles in the same order, so they agree bitwise.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type { AdamStepAttrs } from "../../ops/adam-step.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { nativeKernels } from "./native/native.js";
import { nativeAdamStep } from "./native/ops.js";

const flat = (v: TensorView, n: number): TypedArray => arrayOf(v).subarray(v.offset, v.offset + n);

export function adamStepKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: AdamStepAttrs,
  out: OutputSpec,
): TensorView {
  const n = inputs[0].shape.reduce((x, y) => x * y, 1);
  const res = newOutput(out.dtype, out.shape, 3 * n, false);
  const nk = n > 0 ? nativeKernels() : null;
  if (nk) nativeAdamStep(nk, inputs, n, a, arrayOf(res) as Float32Array);
  else adamStepLoop(inputs, n, a, arrayOf(res));
  return res;
}

/** The portable update: θ', m', v' into o[0, n), o[n, 2n), o[2n, 3n). Exported for tests. */
export function adamStepLoop(
  inputs: readonly TensorView[],
  n: number,
  a: AdamStepAttrs,
  o: TypedArray,
): void {
  const [p, g, m, v] = inputs.map((t) => flat(t, n));
  // The hyperparameters as float32, as they were when each pass took them as 0-d tensors:
  // the update is bitwise the three-pass one's.
  const [b1, beta2, b2, stepSize, eps] = [
    a.oneMinusBeta1,
    a.beta2,
    a.oneMinusBeta2,
    a.stepSize,
    a.eps,
  ].map(Math.fround);
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = Math.fround(m[i] + b1 * (gi - m[i]));
    const vi = Math.fround(v[i] * beta2 + gi * gi * b2);
    o[i] = p[i] - (stepSize * mi) / (Math.sqrt(vi) + eps);
    o[n + i] = mi;
    o[2 * n + i] = vi;
  }
}
