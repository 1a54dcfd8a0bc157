// Adam and its AMSGrad variant (torch.optim.Adam), with L2 weight decay added to the gradient;
// AdamW reuses the same update with decoupled decay (θ ← θ(1 − lr·λ) before the step):
//   m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  v̂ ← max(v̂, v) (AMSGrad);
//   θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε).
import type { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "../tensor/create.js";
import { mul, maximum } from "../ops/arithmetic.js";
import { fusedMap, type FusedExpr } from "../ops/fused.js";
import { adamSteps } from "../ops/optim-steps.js";
import { Optimizer, decayedGradient, type DueUpdate, type UpdateResult } from "./optimizer.js";
import { followedGradient, updateInBatches } from "./multi-tensor.js";
import { checkHyper, type ParamsOrGroups } from "./param-groups.js";

/** Options of {@link Adam} (PyTorch's names and defaults). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment averages (default [0.9, 0.999]). */
  betas?: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0; AdamW decouples it). */
  weightDecay?: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad?: boolean;
  /** Maximise the objective instead of minimising (default false). */
  maximize?: boolean;
  /** Weight decay shrinks the parameter instead of joining the gradient (AdamW's rule). */
  decoupledWeightDecay?: boolean;
}

/** Adam's hyperparameters, every option set. */
export type AdamHyper = Required<AdamOptions>;

/** Adam's state per parameter (PyTorch's names). */
export interface AdamState {
  [key: string]: Tensor | number;
  /** Steps taken. */
  step: number;
  /** First moment: running average of gradients. */
  expAvg: Tensor;
  /** Second moment: running average of squared gradients. */
  expAvgSq: Tensor;
}

/** One Adam/AdamW step for one tensor: returns the new parameter and state. */
export function adamUpdate(
  param: Tensor,
  grad: Tensor,
  state: AdamState,
  h: AdamHyper,
): UpdateResult<AdamState> {
  if (!h.amsgrad) return adamUpdates([{ param, grad, state }], h)[0];
  const [beta1, beta2] = h.betas;
  // Coupled (L2) decay joins the gradient as in every optimizer (the base's rule); AdamW's
  // decoupled decay shrinks the parameter instead.
  const decoupled = h.decoupledWeightDecay && h.weightDecay !== 0;
  const g = decayedGradient(param, grad, {
    maximize: h.maximize,
    weightDecay: h.decoupledWeightDecay ? 0 : h.weightDecay,
  });
  const p = decoupled ? mul(param, 1 - h.lr * h.weightDecay) : param;
  const step = state.step + 1;
  const { stepSize, eps } = biasCorrected(h, step);
  const expAvg = fusedMap(MOMENT, [state.expAvg, g, 1 - beta1]);
  const expAvgSq = fusedMap(SQUARED_MOMENT, [state.expAvgSq, g, beta2, 1 - beta2]);
  const prevMax = state.maxExpAvgSq as Tensor | undefined;
  const second = prevMax ? maximum(prevMax, expAvgSq) : expAvgSq;
  const next: AdamState = { step, expAvg, expAvgSq, maxExpAvgSq: second };
  return { param: fusedMap(ADAM_PARAM, [p, expAvg, second, stepSize, eps]), state: next };
}

/**
 * m/(√v/c + ε) = c·m/(√v + ε·c) with c = √(1 − β₂ᵗ): the bias corrections become two scalars,
 * so the parameter update is one pass.
 */
function biasCorrected(h: AdamHyper, step: number): { stepSize: number; eps: number } {
  const c = Math.sqrt(1 - h.betas[1] ** step);
  return { stepSize: (h.lr / (1 - h.betas[0] ** step)) * c, eps: h.eps * c };
}

/**
 * Adam/AdamW steps (without AMSGrad) for a list of tensors: one multi-tensor kernel
 * (ops/optim-steps.ts) per device and step count, usually one for the whole list. The new
 * parameters and moments are views of its output.
 */
export function adamUpdates(
  due: readonly DueUpdate<AdamState>[],
  h: AdamHyper,
): UpdateResult<AdamState>[] {
  const [beta1, beta2] = h.betas;
  return updateInBatches(due, {
    batchKey: (d) => String(d.state.step),
    operands: ({ param, grad, state }) => [param, grad, state.expAvg, state.expAvgSq],
    run: (groups, batch) =>
      adamSteps(groups, {
        ...biasCorrected(h, batch[0].state.step + 1),
        oneMinusBeta1: 1 - beta1,
        beta2,
        oneMinusBeta2: 1 - beta2,
        ...followedGradient({
          maximize: h.maximize,
          weightDecay: h.decoupledWeightDecay ? 0 : h.weightDecay,
        }),
        paramScale: h.decoupledWeightDecay ? 1 - h.lr * h.weightDecay : 1,
      }),
    width: 3,
    result: ([param, expAvg, expAvgSq], d) => ({
      param,
      state: { step: d.state.step + 1, expAvg, expAvgSq },
    }),
  });
}

// AMSGrad's update as three fused passes (one per tensor written) instead of twelve
// elementwise ops; the hyperparameters are operands, so each expression compiles once. (Adam
// without it runs the multi-tensor kernel of ops/optim-steps.ts.)
/** m + (1 − β₁)(g − m) = β₁m + (1 − β₁)g, as torch's lerp. a: m, b: g, c: 1 − β₁. */
const MOMENT: FusedExpr = { name: "adam moment", cpu: "a + c * (b - a)", wgsl: "a + c * (b - a)" };
/** β₂v + (1 − β₂)g². a: v, b: g, c: β₂, d: 1 − β₂. */
const SQUARED_MOMENT: FusedExpr = {
  name: "adam squared moment",
  cpu: "a * c + b * b * d",
  wgsl: "a * c + b * b * d",
};
/** θ − stepSize · m / (√v + ε·c). a: θ, b: m, c: v, d: stepSize, e: ε·c. */
const ADAM_PARAM: FusedExpr = {
  name: "adam parameter",
  cpu: "a - d * b / (Math.sqrt(c) + e)",
  wgsl: "a - d * b / (sqrt(c) + e)",
};

/**
 * Adam, as `torch.optim.Adam`: bias-corrected running averages of the gradient and its square.
 *
 * @example
 * ```ts
 * const opt = new dl.optim.Adam(model.parameters(), { lr: 1e-3 });
 * const loss = lossFn.forward(model.forward(x), y);
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamHyper, AdamState> {
  constructor(params: ParamsOrGroups<AdamHyper>, opts: AdamOptions = {}) {
    super(params, {
      lr: opts.lr ?? 1e-3,
      betas: opts.betas ? [...opts.betas] : [0.9, 0.999],
      eps: opts.eps ?? 1e-8,
      weightDecay: opts.weightDecay ?? 0,
      amsgrad: opts.amsgrad ?? false,
      maximize: opts.maximize ?? false,
      decoupledWeightDecay: opts.decoupledWeightDecay ?? false,
    });
  }

  protected initState(param: Tensor, h: AdamHyper): AdamState {
    const s: AdamState = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
    if (h.amsgrad) s.maxExpAvgSq = zerosLike(param);
    return s;
  }

  protected update(p: Tensor, g: Tensor, s: AdamState, h: AdamHyper): UpdateResult<AdamState> {
    return adamUpdate(p, g, s, h);
  }

  protected override updateAll(due: readonly DueUpdate<AdamState>[], h: AdamHyper) {
    return h.amsgrad ? null : adamUpdates(due, h);
  }

  protected validate(h: AdamHyper): void {
    const op = this.constructor.name;
    checkHyper(op, "lr", h.lr, h.lr >= 0, "must be >= 0");
    checkHyper(op, "eps", h.eps, h.eps >= 0, "must be >= 0");
    const [b1, b2] = Array.isArray(h.betas) ? h.betas : [NaN, NaN];
    checkHyper(op, "betas", h.betas, b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1, "each in [0, 1)");
    checkHyper(op, "weightDecay", h.weightDecay, h.weightDecay >= 0, "must be >= 0");
  }
}
