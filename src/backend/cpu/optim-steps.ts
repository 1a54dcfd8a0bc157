// The optimizers' updates over a list of parameters on the CPU (ops/optim-steps.ts has the
// maths and the output layout): the native kernels (kernels/optim.c, one threaded call for the
// whole list) where the addon is loaded, else these loops. Both compute the same doubles in the
// same order, so they agree bitwise.
import type { TensorView } from "../backend.js";
import type { OutputSpec } from "../registry.js";
import type {
  AdagradStepsAttrs,
  AdamStepsAttrs,
  RmspropStepsAttrs,
  SgdStepsAttrs,
} from "../../ops/optim-steps.js";
import { stepWidth } from "../../ops/optim-steps.js";
import type { TypedArray } from "../../tensor/dtype.js";
import { arrayOf, newOutput } from "./buffer.js";
import { nativeKernels, type NativeKernels } from "./native/native.js";
import { nativeSteps } from "./native/optim-steps.js";

/** One parameter's operands as flat arrays of n values, and where its results start. */
interface Segment {
  readonly operands: readonly TypedArray[];
  readonly n: number;
  readonly at: number;
}

const sizeOf = (v: TensorView) => v.shape.reduce((x, y) => x * y, 1);

/** The per-parameter operand groups of `inputs` (`per` views each) and their output offsets. */
function segmentsOf(inputs: readonly TensorView[], per: number, width: number): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (let i = 0; i < inputs.length; i += per) {
    const n = sizeOf(inputs[i]);
    const operands = inputs
      .slice(i, i + per)
      .map((v) => arrayOf(v).subarray(v.offset, v.offset + n));
    segments.push({ operands, n, at });
    at += width * n;
  }
  return segments;
}

/** The output of either update: the native call where the addon is loaded, else the loops. */
function stepsKernel(
  out: OutputSpec,
  native: (nk: NativeKernels, res: Float32Array) => void,
  portable: (res: TypedArray) => void,
): TensorView {
  const size = out.shape[0];
  const res = newOutput(out.dtype, out.shape, size, false);
  const nk = size > 0 ? nativeKernels() : null;
  if (nk) native(nk, arrayOf(res) as Float32Array);
  else portable(arrayOf(res));
  return res;
}

export function adamStepsKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: AdamStepsAttrs,
  out: OutputSpec,
): TensorView {
  return stepsKernel(
    out,
    (nk, res) => nativeSteps(nk, "adamSteps", inputs, 4, 3, adamConsts(a), res),
    (res) => segmentsOf(inputs, 4, 3).forEach((s) => adamLoop(s, a, res)),
  );
}

export function sgdStepsKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: SgdStepsAttrs,
  out: OutputSpec,
): TensorView {
  const consts = sgdConsts(a);
  const width = stepWidth("sgdSteps", a);
  return stepsKernel(
    out,
    (nk, res) => nativeSteps(nk, "sgdSteps", inputs, 3, width, consts, res, a.fresh),
    (res) => segmentsOf(inputs, 3, width).forEach((s, i) => sgdLoop(s, consts, a.fresh[i], res)),
  );
}

export function rmspropStepsKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: RmspropStepsAttrs,
  out: OutputSpec,
): TensorView {
  const consts = rmspropConsts(a);
  const width = stepWidth("rmspropSteps", a);
  return stepsKernel(
    out,
    (nk, res) => nativeSteps(nk, "rmspropSteps", inputs, 5, width, consts, res),
    (res) => segmentsOf(inputs, 5, width).forEach((s) => rmspropLoop(s, a, res)),
  );
}

export function adagradStepsKernel(
  _b: unknown,
  inputs: readonly TensorView[],
  a: AdagradStepsAttrs,
  out: OutputSpec,
): TensorView {
  const consts = [a.lr, a.eps, a.gradSign, a.weightDecay].map(Math.fround);
  return stepsKernel(
    out,
    (nk, res) => nativeSteps(nk, "adagradSteps", inputs, 3, 2, consts, res),
    (res) => segmentsOf(inputs, 3, 2).forEach((s) => adagradLoop(s, consts, res)),
  );
}

// The constants as float32 values, as they were when each composed op took them as 0-d
// tensors (the update is bitwise the composed one's), in kernels/optim.h's order.
function adamConsts(a: AdamStepsAttrs): number[] {
  const { oneMinusBeta1, beta2, oneMinusBeta2, stepSize, eps } = a;
  const values = [oneMinusBeta1, beta2, oneMinusBeta2, stepSize, eps];
  return [...values, a.gradSign, a.weightDecay, a.paramScale].map(Math.fround);
}

function sgdConsts(a: SgdStepsAttrs): number[] {
  const mode = a.momentum === 0 ? 0 : a.nesterov ? 2 : 1;
  const values = [a.lr, a.momentum, a.oneMinusDampening, a.gradSign, a.weightDecay];
  return [...values.map(Math.fround), mode];
}

function rmspropConsts(a: RmspropStepsAttrs): number[] {
  const values = [a.lr, a.alpha, 1 - a.alpha, a.eps, a.momentum, a.gradSign, a.weightDecay];
  return [...values.map(Math.fround), a.centered ? 1 : 0];
}

/** The gradient followed: ±g, plus λθ rounded as the composed mul and add stored it. */
function followed(g: number, p: number, sign: number, wd: number): number {
  const gs = sign * g;
  return wd !== 0 ? Math.fround(gs + Math.fround(p * wd)) : gs;
}

/** The portable Adam update of one parameter. */
function adamLoop({ operands, n, at }: Segment, a: AdamStepsAttrs, o: TypedArray): void {
  const [p, g, m, v] = operands;
  const [b1, beta2, b2, stepSize, eps, sign, wd, scale] = adamConsts(a);
  for (let i = 0; i < n; i++) {
    const gi = followed(g[i], p[i], sign, wd);
    const pi = scale !== 1 ? Math.fround(p[i] * scale) : p[i];
    const mi = Math.fround(m[i] + b1 * (gi - m[i]));
    const vi = Math.fround(v[i] * beta2 + gi * gi * b2);
    o[at + i] = pi - (stepSize * mi) / (Math.sqrt(vi) + eps);
    o[at + n + i] = mi;
    o[at + 2 * n + i] = vi;
  }
}

/** The portable SGD update of one parameter (consts as sgdConsts gives them). */
function sgdLoop(
  { operands, n, at }: Segment,
  [lr, mu, keep, sign, wd, mode]: readonly number[],
  fresh: boolean,
  o: TypedArray,
): void {
  const [p, g, m] = operands;
  for (let i = 0; i < n; i++) {
    const gi = followed(g[i], p[i], sign, wd);
    if (mode === 0) {
      o[at + i] = p[i] - lr * gi;
      continue;
    }
    const b = fresh ? Math.fround(gi) : Math.fround(m[i] * mu + gi * keep);
    o[at + i] = mode === 2 ? p[i] - lr * (gi + mu * b) : p[i] - lr * b;
    o[at + n + i] = b;
  }
}

const f32 = Math.fround;

/**
 * The portable RMSprop update of one parameter: every value the composed ops stored rounded
 * to float32 in their order (kernels/optim.c does the same).
 */
function rmspropLoop({ operands, n, at }: Segment, a: RmspropStepsAttrs, o: TypedArray): void {
  const [p, g, m, v, b] = operands;
  const [lr, alpha, oma, eps, mu, sign, wd] = rmspropConsts(a);
  const centered = a.centered;
  const bAt = at + (centered ? 3 : 2) * n;
  for (let i = 0; i < n; i++) {
    const gi = followed(g[i], p[i], sign, wd);
    const sq = f32(f32(v[i] * alpha) + f32(f32(gi * gi) * oma));
    let avg: number;
    if (centered) {
      const ga = f32(f32(m[i] * alpha) + f32(gi * oma));
      avg = f32(f32(Math.sqrt(f32(sq - f32(ga * ga)))) + eps);
      o[at + 2 * n + i] = ga;
    } else avg = f32(f32(Math.sqrt(sq)) + eps);
    let delta = f32(gi / avg);
    if (mu !== 0) {
      delta = f32(f32(b[i] * mu) + delta);
      o[bAt + i] = delta;
    }
    o[at + i] = p[i] - f32(delta * lr);
    o[at + n + i] = sq;
  }
}

/** The portable Adagrad update of one parameter (consts: clr, ε, sign, λ as float32). */
function adagradLoop(
  { operands, n, at }: Segment,
  [lr, eps, sign, wd]: readonly number[],
  o: TypedArray,
): void {
  const [p, g, s] = operands;
  for (let i = 0; i < n; i++) {
    const gi = followed(g[i], p[i], sign, wd);
    const sum = f32(s[i] + f32(gi * gi));
    const std = f32(f32(Math.sqrt(sum)) + eps);
    o[at + i] = p[i] - f32(f32(gi / std) * lr);
    o[at + n + i] = sum;
  }
}
