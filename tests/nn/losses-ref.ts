// Shared machinery for the loss tests: a loss is checked against a plain float64 formula
// (forward values), and its autograd gradients against central finite differences taken on
// that float64 formula, so the reference shares no code with the library.
import { expect } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import { rng } from "../helpers/ref.js";
import { assertClose } from "../helpers/check-op.js";

export type Vec = number[];

export interface LossInput {
  shape: number[];
  values: Vec;
  dtype?: "float32" | "int32";
  /** Whether the gradient for this input is checked (default: float inputs). */
  grad?: boolean;
}

/** Uniform floats in [lo, hi), rounded to float32 so the reference sees the tensor's values. */
export function uniform(seed: number, n: number, lo = -2, hi = 2): Vec {
  const next = rng(seed);
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * next()));
}

export function ints(seed: number, n: number, lo: number, hi: number): Vec {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(next() * (hi - lo)));
}

export const float = (shape: number[], values: Vec, grad = true): LossInput => ({
  shape,
  values,
  grad,
});
export const int = (shape: number[], values: Vec): LossInput => ({
  shape,
  values,
  dtype: "int32",
});

function toTensor(x: LossInput): Tensor {
  const dtype = x.dtype ?? "float32";
  const data = dtype === "int32" ? Int32Array.from(x.values) : Float32Array.from(x.values);
  return dl.tensor(data, {
    shape: x.shape,
    dtype,
    requiresGrad: dtype === "float32" && x.grad !== false,
  });
}

export interface LossCase {
  name: string;
  inputs: LossInput[];
  fn: (...xs: Tensor[]) => Tensor;
  /** The float64 reference: the loss values (one for mean/sum, one per element for none). */
  ref: (...xs: Vec[]) => Vec;
  outShape: number[];
  atol?: number;
  rtol?: number;
  gradAtol?: number;
  /** Skip the gradient check (e.g. non-differentiable points). */
  grad?: boolean;
}

const FD = 1e-6;

/** Checks the forward against `ref`, and d(Σ out·W)/dx against finite differences of `ref`. */
export function checkLoss(c: LossCase): void {
  const tensors = c.inputs.map(toTensor);
  const out = c.fn(...tensors);
  expect(out.shape, `${c.name}: output shape`).toEqual(c.outShape);
  const want = c.ref(...c.inputs.map((x) => [...x.values]));
  assertClose(out.dataSync(), want, c.atol ?? 1e-5, c.rtol ?? 1e-5, `${c.name}: forward`);
  if (c.grad === false) return;
  const w = uniform(9001, want.length, 0.5, 1.5);
  const weighted = dl.sum(dl.mul(out, dl.tensor(Float32Array.from(w), { shape: c.outShape })));
  const checked = c.inputs
    .map((x, i) => [x, i] as const)
    .filter(([x]) => (x.dtype ?? "float32") === "float32" && x.grad !== false);
  weighted.backward();
  for (const [x, i] of checked) {
    const numeric = x.values.map((_, j) => {
      const at = (h: number): number => {
        const vals = c.inputs.map((y) => [...y.values]);
        vals[i][j] += h;
        return c.ref(...vals).reduce((s, v, m) => s + v * w[m], 0);
      };
      return (at(FD) - at(-FD)) / (2 * FD);
    });
    const got = tensors[i].grad;
    expect(got, `${c.name}: input ${i} received no gradient`).not.toBeNull();
    assertClose(
      got!.dataSync(),
      numeric,
      c.gradAtol ?? 2e-4,
      1e-3,
      `${c.name}: grad of input ${i}`,
    );
  }
}

/** PyTorch's reductions over float64 per-element losses. */
export function reduceRef(values: Vec, reduction: "mean" | "sum" | "none"): Vec {
  if (reduction === "none") return values;
  const s = values.reduce((a, b) => a + b, 0);
  return [reduction === "sum" ? s : s / values.length];
}

export const REDUCTIONS = ["mean", "sum", "none"] as const;

/** Output shape of a reduction over per-element losses of `shape`. */
export const outShapeOf = (shape: number[], reduction: string): number[] =>
  reduction === "none" ? shape : [];

export function logSoftmaxRows(x: Vec, rows: number, cols: number): Vec {
  const out: Vec = [];
  for (let r = 0; r < rows; r++) {
    const row = x.slice(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    out.push(...row.map((v) => v - lse));
  }
  return out;
}
