// Shared by the WebGPU suites: the GPU starts once per file in helpers/devices.ts (skipping
// cleanly, with the reason logged, where no adapter exists); this compares results with the CPU backend,
// the oracle: same inputs, same op, values and gradients within float32 tolerance.
import { expect } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";

/** True when a WebGPU adapter started (the suites skip otherwise; see helpers/devices.ts). */
export { gpuAvailable } from "../helpers/devices.js";

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

/** Elementwise |gpu - cpu| <= atol + rtol * |cpu|, NaN matching NaN and infinities exact. */
export function expectClose(
  what: string,
  gpu: ArrayLike<number>,
  cpu: ArrayLike<number>,
  { rtol = 1e-4, atol = 1e-5 }: Tolerance = {},
): void {
  expect(gpu.length, `${what}: length`).toBe(cpu.length);
  for (let i = 0; i < cpu.length; i++) {
    const [g, c] = [gpu[i], cpu[i]];
    if (Number.isNaN(c) || !Number.isFinite(c)) {
      if (!Object.is(g, c) && !(Number.isNaN(g) && Number.isNaN(c)))
        throw new Error(`${what}: element ${i} is ${g} on webgpu, ${c} on cpu`);
      continue;
    }
    if (!(Math.abs(g - c) <= atol + rtol * Math.abs(c)))
      throw new Error(`${what}: element ${i} is ${g} on webgpu, ${c} on cpu`);
  }
}

/** Asserts a GPU tensor equals a CPU tensor in shape, dtype and values. */
export async function expectSame(what: string, g: Tensor, c: Tensor, tol?: Tolerance) {
  expect(g.device, `${what}: device`).toBe("webgpu");
  expect(g.shape, `${what}: shape`).toEqual(c.shape);
  expect(g.dtype, `${what}: dtype`).toBe(c.dtype);
  expectClose(what, await g.data(), c.dataSync(), tol);
}

type Fn = (...xs: Tensor[]) => Tensor | Tensor[];

const asList = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r : [r]);

/**
 * Runs `fn` on CPU copies and GPU copies of `inputs` and compares the outputs; with `grad`,
 * also the gradients of sum(out * W) for a random W, for every float32 input.
 */
export async function checkOnGpu(
  what: string,
  fn: Fn,
  inputs: readonly Tensor[],
  opts: Tolerance & { grad?: boolean } = {},
): Promise<void> {
  const wantGrad = (t: Tensor) => opts.grad !== false && t.dtype === "float32";
  const make = (device: "cpu" | "webgpu") =>
    inputs.map((t) => {
      const c = dl.tensor(t.dataSync(), { shape: [...t.shape], dtype: t.dtype, device });
      if (wantGrad(t)) c.requiresGrad = true;
      return c;
    });
  const [ci, gi] = [make("cpu"), make("webgpu")];
  const [co, go] = [asList(fn(...ci)), asList(fn(...gi))];
  for (let k = 0; k < co.length; k++) await expectSame(`${what} output ${k}`, go[k], co[k], opts);
  if (!inputs.some(wantGrad) || !co.some((t) => t.requiresGrad)) return;
  const weights = co.map((t) => dl.randn([...t.shape]));
  const loss = (outs: Tensor[], device: "cpu" | "webgpu") =>
    outs
      .filter((t) => t.requiresGrad)
      .map((t) => dl.sum(dl.mul(t, weights[outs.indexOf(t)].to(device))))
      .reduce((a, b) => dl.add(a, b));
  loss(co, "cpu").backward();
  loss(go, "webgpu").backward();
  for (let k = 0; k < ci.length; k++) {
    if (!wantGrad(inputs[k])) continue;
    const [cg, gg] = [ci[k].grad, gi[k].grad];
    if (cg === null) {
      expect(gg, `${what} grad ${k}`).toBeNull();
      continue;
    }
    await expectSame(`${what} grad of input ${k}`, gg!, cg, opts);
  }
}

/** A seeded CPU tensor of the given shape (values in [low, high)). */
export function uniform(shape: number[], low = -2, high = 2): Tensor {
  return dl.add(dl.mul(dl.rand(shape), high - low), low);
}

/** A CPU tensor holding the given values. */
export function values(shape: number[], data: number[], dtype: dl.DType = "float32"): Tensor {
  return dl.tensor(data, { shape, dtype });
}
