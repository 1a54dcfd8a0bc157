// The shared op test: one call per op checks the forward result against a float64 reference on
// seeded random inputs (contiguous and strided layouts), the method form against the function
// form, and the autograd gradient of sum(out * W) (W random) against central finite
// differences taken on the float64 reference itself — on every device that starts (one case
// list for all backends; see devices.ts).
import { describe, it } from "vitest";
import * as dl from "../../src/index.js";
import type { Device, Tensor } from "../../src/index.js";
import { type Arr, arr, ravel, rng, sizeOf, unravel } from "./ref.js";
import { DEVICES } from "./devices.js";

type DType = "float32" | "int32" | "bool";
type Out<T> = T | T[];

export interface InputOpts {
  shape: readonly number[];
  dtype?: DType;
  /** Value range: [low, high) for floats, integers in [low, high) for int32. */
  low?: number;
  high?: number;
  /** Fixed values instead of random ones (row-major). */
  values?: readonly number[];
  /** Whether this input's gradient is checked (default: every float32 input). */
  grad?: boolean;
}
export type InputSpec = readonly number[] | InputOpts;

export interface OpSpec {
  fn: (...xs: Tensor[]) => Out<Tensor>;
  /** The method form, checked to give exactly the function form's result. */
  method?: (...xs: Tensor[]) => Out<Tensor>;
  ref: (...xs: Arr[]) => Out<Arr>;
  /** Each case lists the inputs' shapes (or options). */
  cases: readonly (readonly InputSpec[])[];
  /** Check gradients (default true; ops with non-float outputs set false). */
  grad?: boolean;
  low?: number;
  high?: number;
  outDtype?: DType;
  atol?: number;
  rtol?: number;
  gradAtol?: number;
  gradRtol?: number;
  /** Also run on strided (sliced + permuted, non-contiguous) inputs (default true). */
  strided?: boolean;
}

const FD_EPS = 1e-6;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const optsOf = (s: InputSpec): InputOpts =>
  Array.isArray(s) ? { shape: s as number[] } : (s as InputOpts);

function draw(o: InputOpts, spec: OpSpec, next: () => number): Arr {
  const dtype = o.dtype ?? "float32";
  const n = sizeOf(o.shape);
  if (o.values) return arr(o.shape, o.values);
  const lo = o.low ?? spec.low ?? (dtype === "int32" ? -5 : -2);
  const hi = o.high ?? spec.high ?? (dtype === "int32" ? 5 : 2);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = next();
    data[i] =
      dtype === "float32"
        ? Math.fround(lo + (hi - lo) * u)
        : dtype === "int32"
          ? lo + Math.floor(u * (hi - lo))
          : u < 0.5
            ? 1
            : 0;
  }
  return arr(o.shape, data);
}

function typed(dtype: DType, values: ArrayLike<number>) {
  return dtype === "float32"
    ? Float32Array.from(values)
    : dtype === "int32"
      ? Int32Array.from(values)
      : Uint8Array.from(values);
}

/**
 * The same values as a non-contiguous view: every other element of a larger tensor (from
 * element 1, so the offset is non-zero), with the dims stored in reverse order. The gaps hold
 * NaN (or a sentinel), so a kernel that reads outside the view shows up in the result.
 */
export function stridedTensor(a: Arr, dtype: DType = "float32", device: Device = "cpu"): Tensor {
  const shape = a.shape;
  if (shape.length === 0 || sizeOf(shape) === 0)
    return dl.tensor(typed(dtype, a.data), { shape: [...shape], dtype, device });
  const rev = [...shape].reverse();
  const bigShape = rev.map((d) => 2 * d + 1);
  const junk = dtype === "float32" ? NaN : dtype === "int32" ? 987654 : 1;
  const big = new Float64Array(sizeOf(bigShape)).fill(junk);
  for (let i = 0; i < a.data.length; i++) {
    const idx = unravel(i, shape)
      .reverse()
      .map((v) => 2 * v + 1);
    big[ravel(idx, bigShape)] = a.data[i];
  }
  const base = dl.tensor(typed(dtype, big), { shape: bigShape, dtype, device });
  const picked = base.slice(rev.map(() => "1::2").join(", "));
  return picked.permute(rev.map((_, i) => rev.length - 1 - i));
}

export function contiguousTensor(a: Arr, dtype: DType = "float32", device: Device = "cpu"): Tensor {
  return dl.tensor(typed(dtype, a.data), { shape: [...a.shape], dtype, device });
}

const list = <T>(x: Out<T>): T[] => (Array.isArray(x) ? x : [x]);

/** Throws with the worst element when |got - want| > atol + rtol |want| anywhere. */
export function assertClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  atol: number,
  rtol: number,
  what: string,
): void {
  if (got.length !== want.length)
    throw new Error(`${what}: ${got.length} values, expected ${want.length}`);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i];
    const w = want[i];
    const bothNaN = Number.isNaN(g) && Number.isNaN(w);
    const same = g === w; // covers infinities of the same sign
    const excess = Math.abs(g - w) - (atol + rtol * Math.abs(w));
    if (bothNaN || same) continue;
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0)
    throw new Error(
      `${what}: mismatch at flat index ${worst}: got ${got[worst]}, expected ${want[worst]} ` +
        `(atol ${atol}, rtol ${rtol}); got [${Array.from(got).slice(0, 8).join(", ")}${got.length > 8 ? ", ..." : ""}]`,
    );
}

const shapeStr = (s: readonly number[]) => `[${s.join(", ")}]`;

function sameShape(got: readonly number[], want: readonly number[], what: string): void {
  if (got.length !== want.length || got.some((d, i) => d !== want[i]))
    throw new Error(`${what}: shape ${shapeStr(got)}, expected ${shapeStr(want)}`);
}

function weightedLoss(outs: Arr[], weights: Arr[]): number {
  let s = 0;
  outs.forEach((o, k) => o.data.forEach((v, i) => (s += v * weights[k].data[i])));
  return s;
}

/** d/dx of sum(ref(x) * W) by central differences in float64. */
function numericGrad(spec: OpSpec, inputs: Arr[], k: number, weights: Arr[]): Float64Array {
  const x = inputs[k];
  const g = new Float64Array(x.data.length);
  const evalAt = (v: number, i: number) => {
    const data = Float64Array.from(x.data);
    data[i] = v;
    const xs = inputs.map((a, j) => (j === k ? arr(x.shape, data) : a));
    return weightedLoss(list(spec.ref(...xs)), weights);
  };
  for (let i = 0; i < g.length; i++) {
    const v = x.data[i];
    g[i] = (evalAt(v + FD_EPS, i) - evalAt(v - FD_EPS, i)) / (2 * FD_EPS);
  }
  return g;
}

/**
 * Tolerances on a device: the spec's on the CPU; on WebGPU no tighter than the GPU suites'
 * rtol 1e-4 / atol 1e-5 (WGSL's maths is allowed a few ulp more than V8's).
 */
function tolerances(spec: OpSpec, device: Device) {
  const t = {
    atol: spec.atol ?? 1e-5,
    rtol: spec.rtol ?? 1e-5,
    gradAtol: spec.gradAtol ?? 1e-4,
    gradRtol: spec.gradRtol ?? 1e-3,
  };
  if (device === "cpu") return t;
  return { ...t, atol: Math.max(t.atol, 1e-5), rtol: Math.max(t.rtol, 1e-4) };
}

async function runCase(
  name: string,
  spec: OpSpec,
  c: number,
  layout: "contiguous" | "strided",
  device: Device,
): Promise<void> {
  const opts = spec.cases[c].map(optsOf);
  const next = rng(hash(`${name}#${c}`));
  const inputs = opts.map((o) => draw(o, spec, next));
  const tol = tolerances(spec, device);
  const on = device === "cpu" ? "" : ` on ${device}`;
  const where = `${name} case ${c} (${opts.map((o) => shapeStr(o.shape)).join(", ")}, ${layout}${on})`;
  const tensors = inputs.map((a, i) => {
    const dtype = opts[i].dtype ?? "float32";
    const t =
      layout === "strided" ? stridedTensor(a, dtype, device) : contiguousTensor(a, dtype, device);
    const wantsGrad = spec.grad !== false && dtype === "float32" && opts[i].grad !== false;
    if (wantsGrad) t.requiresGrad = true;
    return t;
  });
  const want = list(spec.ref(...inputs));
  const got = list(spec.fn(...tensors));
  if (got.length !== want.length)
    throw new Error(`${where}: ${got.length} outputs, expected ${want.length}`);
  for (const [k, t] of got.entries()) {
    const what = `${where} output ${k}`;
    sameShape(t.shape, want[k].shape, what);
    if (t.dtype !== (spec.outDtype ?? "float32"))
      throw new Error(`${what}: dtype ${t.dtype}, expected ${spec.outDtype ?? "float32"}`);
    if (t.device !== device) throw new Error(`${what}: on ${t.device}, expected ${device}`);
    assertClose(await t.data(), want[k].data, tol.atol, tol.rtol, what);
  }
  if (spec.method) {
    const viaMethod = list(spec.method(...tensors));
    for (const [k, t] of viaMethod.entries()) {
      sameShape(t.shape, got[k].shape, `${where} method form output ${k}`);
      assertClose(await t.data(), await got[k].data(), 0, 0, `${where} method form output ${k}`);
    }
  }
  const gradded = tensors.map((t) => t.requiresGrad);
  if (!gradded.some(Boolean)) return;
  const next2 = rng(hash(`${name}#${c}#w`));
  const weights = want.map((w) =>
    arr(
      w.shape,
      w.data.map(() => Math.fround(next2() * 2 - 1)),
    ),
  );
  let loss: Tensor = dl.tensor(0, { device });
  got.forEach((t, k) => {
    loss = dl.add(loss, dl.sum(dl.mul(t, contiguousTensor(weights[k], "float32", device))));
  });
  loss.backward();
  for (const [k, t] of tensors.entries()) {
    if (!gradded[k]) continue;
    const what = `${where} gradient of input ${k}`;
    const numeric = numericGrad(spec, inputs, k, weights);
    const g = t.grad;
    if (g) sameShape(g.shape, t.shape, what);
    const analytic = g ? await g.data() : new Float32Array(numeric.length);
    assertClose(analytic, numeric, tol.gradAtol, tol.gradRtol, what);
  }
}

/**
 * Runs every case of `spec` in both layouts on `device` (the default device meanwhile, so
 * tensors an op's `fn` creates itself land there too); rejects with the first mismatch.
 */
export async function checkOp(name: string, spec: OpSpec, device: Device = "cpu"): Promise<void> {
  await dl.useDevice(device);
  try {
    for (let c = 0; c < spec.cases.length; c++) {
      await runCase(name, spec, c, "contiguous", device);
      if (spec.strided !== false) await runCase(name, spec, c, "strided", device);
    }
  } finally {
    await dl.useDevice("cpu");
  }
}

/**
 * One vitest test per op and device: the case list is written once and runs on every backend
 * (a device that cannot start is skipped with its reason in the title).
 */
export function opTest(name: string, spec: OpSpec): void {
  describe.each(DEVICES)("$device", ({ device, available }) => {
    it.skipIf(!available)(name, () => checkOp(name, spec, device));
  });
}
