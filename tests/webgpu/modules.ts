// Shared by the layer and loss suites: one module built twice from the same seed, once kept on
// the CPU (the oracle) and once moved to WebGPU, run forward and backward on the same inputs;
// outputs, input gradients, every parameter gradient, buffers (running statistics) and the
// parameters after one optimizer step must agree.
import { expect } from "vitest";
import * as dl from "../../src/index.js";
import type { Tensor } from "../../src/index.js";
import type { Module } from "../../src/nn/module.js";
import { expectSame, type Tolerance } from "./gpu.js";

type Device = "cpu" | "webgpu";

/** Whatever a forward returns: a tensor, null (needWeights false), or nested tuples. */
export type Output = Tensor | null | readonly Output[];

export interface ModuleCase<M extends Module> {
  /** Builds the module on the CPU; called twice under the same seed. */
  build: () => M;
  /** CPU inputs (drawn under a seed); float32 ones get gradients unless `inputGrad` is false. */
  inputs: () => Tensor[];
  forward: (m: M, xs: Tensor[]) => Output;
  /** Set before the forward: eval mode (running statistics, no dropout). */
  eval?: boolean;
  inputGrad?: boolean;
  /** Defaults to SGD (see stepWith). */
  optimizer?: "sgd" | "adam";
  tol?: Tolerance;
}

const SEED = 1234;

function flatten(out: Output): Tensor[] {
  if (out === null) return [];
  if (Array.isArray(out)) return (out as readonly Output[]).flatMap(flatten);
  return [out as Tensor];
}

function copyTo(t: Tensor, device: Device, grad: boolean): Tensor {
  const c = dl.tensor(t.dataSync(), { shape: [...t.shape], dtype: t.dtype, device });
  if (grad && t.dtype === "float32") c.requiresGrad = true;
  return c;
}

/**
 * SGD by default: one step is p - lr·g, so parameters agree exactly as well as gradients do.
 * Adam's first step is lr·g/(|g| + eps), which turns float noise on a gradient that is
 * zero in exact arithmetic (a sum that cancels) into a full ±lr step; use it where every
 * gradient is well away from zero.
 */
function stepWith(kind: "sgd" | "adam", m: Module): void {
  const params = m.parameters();
  const opt =
    kind === "adam"
      ? new dl.optim.Adam(params, { lr: 0.01, weightDecay: 0.01 })
      : new dl.optim.SGD(params, { lr: 0.1, momentum: 0.9, weightDecay: 0.01 });
  opt.step();
}

async function compareNamed(
  what: string,
  gpu: [string, Tensor | null][],
  cpu: [string, Tensor | null][],
  tol?: Tolerance,
): Promise<void> {
  expect(gpu.map(([n]) => n)).toEqual(cpu.map(([n]) => n));
  for (let i = 0; i < cpu.length; i++) {
    const [name, c] = cpu[i];
    const g = gpu[i][1];
    if (c === null) expect(g, `${what} ${name}`).toBeNull();
    else await expectSame(`${what} ${name}`, g!, c, tol);
  }
}

const grads = (m: Module) =>
  m.namedParameters().map(([n, p]) => [n, p.grad] as [string, Tensor | null]);

/** Runs the case on both devices and compares everything a training step touches. */
export async function checkModule<M extends Module>(what: string, c: ModuleCase<M>) {
  const built = (device: Device) => {
    dl.manualSeed(SEED);
    const m = c.build();
    if (c.eval) m.eval();
    return device === "cpu" ? m : m.to(device);
  };
  const [cm, gm] = [built("cpu"), built("webgpu")];
  dl.manualSeed(SEED + 1);
  const inputs = c.inputs();
  const weightsFor = (outs: Tensor[]) => {
    dl.manualSeed(SEED + 2);
    return outs.map((t) => dl.randn([...t.shape]));
  };
  const run = (m: M, device: Device) => {
    const xs = inputs.map((t) => copyTo(t, device, c.inputGrad !== false));
    dl.manualSeed(SEED + 3); // dropout masks are drawn on the host: same seed, same mask
    const outs = flatten(c.forward(m, xs));
    const weights = weightsFor(outs);
    const terms = outs
      .map((t, k) => (t.requiresGrad ? dl.sum(dl.mul(t, weights[k].to(device))) : null))
      .filter((t): t is Tensor => t !== null);
    if (terms.length > 0) terms.reduce((a, b) => dl.add(a, b)).backward();
    return { xs, outs };
  };
  const cr = run(cm, "cpu");
  const gr = run(gm, "webgpu");
  expect(gr.outs.length, `${what}: outputs`).toBe(cr.outs.length);
  for (let k = 0; k < cr.outs.length; k++)
    await expectSame(`${what} output ${k}`, gr.outs[k], cr.outs[k], c.tol);
  for (let k = 0; k < cr.xs.length; k++) {
    const [cg, gg] = [cr.xs[k].grad, gr.xs[k].grad];
    if (cg === null) expect(gg, `${what} grad of input ${k}`).toBeNull();
    else await expectSame(`${what} grad of input ${k}`, gg!, cg, c.tol);
  }
  await compareNamed(`${what} grad of`, grads(gm), grads(cm), c.tol);
  await compareNamed(`${what} buffer`, gm.namedBuffers(), cm.namedBuffers(), c.tol);
  if (cm.parameters().length === 0) return;
  stepWith(c.optimizer ?? "sgd", cm);
  stepWith(c.optimizer ?? "sgd", gm);
  await compareNamed(`${what} after a step,`, gm.namedParameters(), cm.namedParameters(), c.tol);
}
