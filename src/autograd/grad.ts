// dl.grad and dl.gradcheck: gradients as values, and their check against finite differences.
import { Tensor } from "../tensor/tensor.js";
import { checkCallable, show } from "../tensor/validate.js";
import { fail, fmtShape } from "../tensor/errors.js";
import { fromArray, onesLike, zerosLike } from "../tensor/create.js";
import { runBackward } from "./engine.js";
import { noGrad } from "./mode.js";
import { add } from "../ops/arithmetic.js";

/** Options of {@link grad}. */
export interface GradOptions {
  /** Record the gradient computation itself, for higher-order derivatives. */
  createGraph?: boolean;
  /** Keep the graph for another backward pass (default false: its saved tensors are freed). */
  retainGraph?: boolean;
}

/**
 * Gradients of the scalar `fn(...inputs)` with respect to each input, without touching
 * `.grad`. Inputs that do not affect the output get zeros.
 */
export function grad(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradOptions = {},
): Tensor[] {
  checkCallable("grad", fn);
  if (!Array.isArray(inputs))
    fail("grad", `inputs must be an array of tensors, got ${show(inputs)}`);
  const xs = inputs.map((t) => {
    if (!(t instanceof Tensor)) fail("grad", "inputs must be tensors");
    if (t.dtype !== "float32")
      fail("grad", `inputs must be float32, got ${t.dtype} ${fmtShape(t.shape)}`);
    return t.requiresGrad && t.isLeaf ? t : t.detach().requiresGrad_();
  });
  const out = fn(...xs);
  if (!(out instanceof Tensor) || out.size !== 1)
    fail(
      "grad",
      `fn must return a one-element tensor, got ${out instanceof Tensor ? fmtShape(out.shape) : typeof out}`,
    );
  const found = new Map<Tensor, Tensor>();
  runBackward(
    out,
    onesLike(out),
    { retainGraph: opts.retainGraph ?? opts.createGraph, createGraph: opts.createGraph },
    (leaf, g) => {
      const prev = found.get(leaf);
      found.set(leaf, prev ? add(prev, g) : g);
    },
  );
  return xs.map((x) => found.get(x) ?? zerosLike(x));
}

/** Options of {@link gradcheck}: finite-difference step and tolerances. */
export interface GradcheckOptions {
  /** Central-difference step (default 1e-3; float32 arithmetic). */
  eps?: number;
  /** Absolute tolerance of the comparison. */
  atol?: number;
  /** Relative tolerance of the comparison. */
  rtol?: number;
}

/**
 * Compares the analytic gradient of sum(fn(...inputs)) with central finite differences on
 * every input element. Returns true, or throws with the worst mismatch (like PyTorch).
 * CPU tensors only: finite differences read values synchronously.
 */
export function gradcheck(
  fn: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  opts: GradcheckOptions = {},
): boolean {
  const unreadable = inputs.findIndex((t) => !t.backend.readSync);
  if (unreadable >= 0)
    fail(
      "gradcheck",
      `input ${unreadable} is on ${inputs[unreadable].device}, and finite differences read ` +
        `values synchronously: check on CPU copies (await dl.toDeviceAsync(t, "cpu"))`,
    );
  const eps = opts.eps ?? 1e-3;
  const atol = opts.atol ?? 1e-3;
  const rtol = opts.rtol ?? 1e-2;
  const scalar = (...xs: Tensor[]) => fn(...xs).sum();
  const analytic = grad(scalar, inputs).map((g) => g.dataSync());
  const values = inputs.map((t) => Float32Array.from(t.dataSync()));
  const evaluate = () =>
    noGrad(() =>
      scalar(...values.map((v, k) => fromArray(v, inputs[k].shape, inputs[k].device))).itemSync(),
    );
  values.forEach((v, k) => {
    for (let i = 0; i < v.length; i++) {
      const orig = v[i];
      v[i] = orig + eps;
      const up = evaluate();
      v[i] = orig - eps;
      const down = evaluate();
      v[i] = orig;
      const numeric = (up - down) / (2 * eps);
      const a = analytic[k][i];
      if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric)))
        fail(
          "gradcheck",
          `gradient mismatch for input ${k} (shape ${fmtShape(inputs[k].shape)}) at flat index ${i}: ` +
            `analytic ${a}, numeric ${numeric} (atol ${atol}, rtol ${rtol})`,
        );
    }
  });
  return true;
}
