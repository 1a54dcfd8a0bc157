// The shared module test, run once per device (see devices.ts) over one list of layer cases and
// one of loss cases (layer-cases.ts, loss-cases.ts). A case builds a module from a seed, draws
// inputs, and runs a forward; the check takes L = Σ_k Σ out_k · W_k (W random) and backward.
//
// - On the CPU, the oracle is the module's own function: the autograd gradient of L along a
//   random direction over every float input and parameter must match a central finite
//   difference of L (float32, so the step and tolerance are loose), and the parameters after one
//   optimizer step must match the optimizer's first-step formula computed in float64.
// - On any other device, the CPU is the oracle: the module built from the same seed on both,
//   outputs, input and parameter gradients, buffers (running statistics) and the parameters
//   after one step must agree.
import { expect } from "vitest";
import * as dl from "../../src/index.js";
import type { Device, Tensor } from "../../src/index.js";
import type { Module } from "../../src/nn/module.js";
import { expectSame, type Tolerance } from "../webgpu/gpu.js";

/** Whatever a forward returns: a tensor, null (needWeights false), or nested tuples. */
export type Output = Tensor | null | readonly Output[];

export interface ModuleCase<M extends Module> {
  /** Builds the module on the CPU; called under the same seed on every device. */
  build: () => M;
  /** CPU inputs (drawn under a seed); float32 ones get gradients unless `inputGrad` is false. */
  inputs: () => Tensor[];
  forward: (m: M, xs: Tensor[]) => Output;
  /** Set before the forward: eval mode (running statistics, no dropout). */
  eval?: boolean;
  inputGrad?: boolean;
  /**
   * Inputs holding labels as floats (±1 signs): their gradient is compared across devices, but
   * the finite difference never perturbs them (a loss compares them with 1 and -1).
   */
  labelInputs?: readonly number[];
  /** Why the finite-difference check does not apply (the CPU then checks the step only). */
  noFiniteDifference?: string;
  /** Defaults to SGD (see stepWith). */
  optimizer?: "sgd" | "adam";
  /** Between devices. */
  tol?: Tolerance;
}

/** A case with its name, its module type erased so cases of many layers share one list. */
export interface NamedCase extends ModuleCase<Module> {
  name: string;
}

export const moduleCase = <M extends Module>(name: string, c: ModuleCase<M>): NamedCase =>
  ({ name, ...c }) as unknown as NamedCase;

const SEED = 1234;
const SGD = { lr: 0.1, momentum: 0.9, weightDecay: 0.01 };
const ADAM = { lr: 0.01, weightDecay: 0.01, eps: 1e-8 };

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
 * SGD by default: one step is p - lr·(g + wd·p), so parameters agree exactly as well as
 * gradients do. Adam's first step is lr·g/(|g| + eps), which turns float noise on a gradient
 * that is zero in exact arithmetic (a sum that cancels) into a full ±lr step; use it where
 * every gradient is well away from zero.
 */
function stepWith(kind: "sgd" | "adam", m: Module): void {
  const params = m.parameters();
  const opt = kind === "adam" ? new dl.optim.Adam(params, ADAM) : new dl.optim.SGD(params, SGD);
  opt.step();
}

/** The first step of stepWith's optimizers, elementwise in float64. */
function firstStep(kind: "sgd" | "adam", p: number, g: number): number {
  if (kind === "sgd") return p - SGD.lr * (g + SGD.weightDecay * p);
  const gd = g + ADAM.weightDecay * p;
  return p - (ADAM.lr * gd) / (Math.abs(gd) + ADAM.eps);
}

function build<M extends Module>(c: ModuleCase<M>, device: Device): M {
  dl.manualSeed(SEED);
  const m = c.build();
  if (c.eval) m.eval();
  return device === "cpu" ? m : (m.to(device) as M);
}

/** Runs the forward (dropout seeded) and L = Σ out·W with W drawn once per output shape. */
function lossOf<M extends Module>(
  c: ModuleCase<M>,
  m: M,
  xs: Tensor[],
  device: Device,
  /** Which outputs enter L (default: those that require grad; noGrad reruns pass the first's). */
  counted?: boolean[],
) {
  dl.manualSeed(SEED + 3); // dropout masks are drawn on the host: same seed, same mask
  const outs = flatten(c.forward(m, xs));
  dl.manualSeed(SEED + 2);
  const weights = outs.map((t) => dl.randn([...t.shape]).to(device));
  const terms = outs
    .map((t, k) => ((counted?.[k] ?? t.requiresGrad) ? dl.sum(dl.mul(t, weights[k])) : null))
    .filter((t): t is Tensor => t !== null);
  const loss = terms.length > 0 ? terms.reduce((a, b) => dl.add(a, b)) : null;
  return { outs, loss, counted: outs.map((t) => counted?.[outs.indexOf(t)] ?? t.requiresGrad) };
}

function inputsOf<M extends Module>(c: ModuleCase<M>, device: Device): Tensor[] {
  dl.manualSeed(SEED + 1);
  return c.inputs().map((t) => copyTo(t, device, c.inputGrad !== false));
}

/** Runs the case on `device`; see the header for what is checked. */
export async function checkModuleOn<M extends Module>(
  device: Device,
  c: NamedCase | ModuleCase<M>,
) {
  const what = "name" in c ? c.name : "module";
  if (device === "cpu") return checkByFiniteDifferences(what, c as ModuleCase<Module>);
  return checkAgainstCpu(what, c as ModuleCase<Module>, device);
}

/** Every float tensor the loss depends on: inputs that want gradients, then parameters. */
const variables = (xs: Tensor[], m: Module, labels: readonly number[] = []) => [
  ...xs.filter((x, i) => x.requiresGrad && !labels.includes(i)),
  ...m.parameters().filter((p) => p.requiresGrad),
];

function checkByFiniteDifferences(what: string, c: ModuleCase<Module>): void {
  const m = build(c, "cpu");
  const xs = inputsOf(c, "cpu");
  const { outs, loss, counted } = lossOf(c, m, xs, "cpu");
  for (const [k, t] of outs.entries())
    if (t.dtype === "float32")
      expect(t.dataSync().every(Number.isFinite), `${what} output ${k} finite`).toBe(true);
  if (loss === null) return;
  loss.backward();
  const vars = variables(xs, m, c.labelInputs);
  const grads = vars.map((v) => v.grad?.dataSync() ?? new Float32Array(v.size));
  const before = vars.map((v) => Float64Array.from(v.dataSync()));
  dl.manualSeed(SEED + 4);
  const dirs = vars.map((v) => Float64Array.from(dl.randn([...v.shape]).dataSync()));
  let analytic = 0;
  let scale = 0;
  vars.forEach((_, i) =>
    grads[i].forEach((g, j) => {
      analytic += g * dirs[i][j];
      scale += Math.abs(g * dirs[i][j]);
    }),
  );
  // float32 central differences: the worst case here is ~1e-3 of Σ|g·v| (KLDiv, ReLU near a
  // kink); the bound leaves a factor of three.
  const eps = 1e-3;
  const at = (sign: number) => {
    dl.noGrad(() =>
      vars.forEach((v, i) =>
        v._assign(
          dl.tensor(
            Float32Array.from(before[i], (x, j) => x + sign * eps * dirs[i][j]),
            { shape: [...v.shape] },
          ),
        ),
      ),
    );
    return dl.noGrad(() => lossOf(c, m, xs, "cpu", counted).loss!.itemSync());
  };
  const numeric = (at(1) - at(-1)) / (2 * eps);
  dl.noGrad(() =>
    vars.forEach((v, i) =>
      v._assign(dl.tensor(Float32Array.from(before[i]), { shape: [...v.shape] })),
    ),
  );
  const err = Math.abs(numeric - analytic);
  if (c.noFiniteDifference) return checkFirstStep(what, c, m);
  expect(
    err,
    `${what}: directional derivative ${analytic} vs finite difference ${numeric}`,
  ).toBeLessThanOrEqual(3e-3 * scale + 1e-4);
  checkFirstStep(what, c, m);
}

function checkFirstStep(what: string, c: ModuleCase<Module>, m: Module): void {
  const kind = c.optimizer ?? "sgd";
  const params = m.parameters();
  if (params.length === 0) return;
  const expected = params.map((p) => {
    const g = p.grad?.dataSync();
    const v = p.dataSync();
    return g ? Float64Array.from(v, (x, j) => firstStep(kind, x, g[j])) : Float64Array.from(v);
  });
  stepWith(kind, m);
  params.forEach((p, i) => {
    const got = p.dataSync();
    for (let j = 0; j < got.length; j++)
      if (!(Math.abs(got[j] - expected[i][j]) <= 1e-5 + 1e-5 * Math.abs(expected[i][j])))
        throw new Error(
          `${what}: parameter ${i} element ${j} is ${got[j]} after one ${kind} step, ` +
            `expected ${expected[i][j]}`,
        );
  });
}

async function compareNamed(
  what: string,
  got: [string, Tensor | null][],
  cpu: [string, Tensor | null][],
  tol?: Tolerance,
): Promise<void> {
  expect(got.map(([n]) => n)).toEqual(cpu.map(([n]) => n));
  for (let i = 0; i < cpu.length; i++) {
    const [name, c] = cpu[i];
    const g = got[i][1];
    if (c === null) expect(g, `${what} ${name}`).toBeNull();
    else await expectSame(`${what} ${name}`, g!, c, tol);
  }
}

const gradsOf = (m: Module) =>
  m.namedParameters().map(([n, p]) => [n, p.grad] as [string, Tensor | null]);

async function checkAgainstCpu(what: string, c: ModuleCase<Module>, device: Device) {
  const run = (d: Device) => {
    const m = build(c, d);
    const xs = inputsOf(c, d);
    const { outs, loss } = lossOf(c, m, xs, d);
    loss?.backward();
    return { m, xs, outs };
  };
  const cr = run("cpu");
  const gr = run(device);
  expect(gr.outs.length, `${what}: outputs`).toBe(cr.outs.length);
  for (let k = 0; k < cr.outs.length; k++)
    await expectSame(`${what} output ${k}`, gr.outs[k], cr.outs[k], c.tol);
  for (let k = 0; k < cr.xs.length; k++) {
    const [cg, gg] = [cr.xs[k].grad, gr.xs[k].grad];
    if (cg === null) expect(gg, `${what} grad of input ${k}`).toBeNull();
    else await expectSame(`${what} grad of input ${k}`, gg!, cg, c.tol);
  }
  await compareNamed(`${what} grad of`, gradsOf(gr.m), gradsOf(cr.m), c.tol);
  await compareNamed(`${what} buffer`, gr.m.namedBuffers(), cr.m.namedBuffers(), c.tol);
  if (cr.m.parameters().length === 0) return;
  stepWith(c.optimizer ?? "sgd", cr.m);
  stepWith(c.optimizer ?? "sgd", gr.m);
  await compareNamed(
    `${what} after a step,`,
    gr.m.namedParameters(),
    cr.m.namedParameters(),
    c.tol,
  );
}
