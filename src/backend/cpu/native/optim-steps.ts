// The optimizers' updates over a list of parameters on the native path: one addon call
// (optim-calls.c) for the whole list, its elements split across the addon's threads.
import type { TensorView } from "../../backend.js";
import { arrayOf } from "../buffer.js";
import type { NativeKernels } from "./native.js";
import { record, threadsFor } from "./runs.js";

/** The list updates the addon exports. */
export type StepsCall = "adamSteps" | "sgdSteps" | "rmspropSteps" | "adagradSteps";

/** Elements (all parameters together) below which an update stays on one thread. */
const MIN_PARALLEL_STEPS = 1 << 15;
/** The operand slots per parameter (θ, g, m, v, b in kernels/optim.h). */
const OPERANDS = 5;
/** k, threads, width, eight constants; then the slots' offsets, n, output offset, fresh. */
const HEADER = 11;
const PER_SEGMENT = OPERANDS + 3;

/**
 * Runs `name` over the parameters of `inputs` (`per` views each, in the slots' order: θ, g,
 * then the state; a slot the update does not read gets g again) into out, `width` values per
 * element, laid out as ops/optim-steps.ts says. consts: the update's constants as float32
 * values (its struct's order in kernels/optim.h); fresh: SGD's per-parameter flags.
 */
export function nativeSteps(
  nk: NativeKernels,
  name: StepsCall,
  inputs: readonly TensorView[],
  per: number,
  width: number,
  consts: readonly number[],
  out: Float32Array,
  fresh?: readonly boolean[],
): void {
  const k = inputs.length / per;
  const params = new Float64Array(HEADER + PER_SEGMENT * k);
  const arrays: Float32Array[] = [];
  params.set(consts, 3);
  let total = 0;
  for (let s = 0; s < k; s++) {
    const views = inputs.slice(s * per, s * per + per);
    while (views.length < OPERANDS) views.push(views[1]);
    const n = views[0].shape.reduce((x, y) => x * y, 1);
    const r = HEADER + PER_SEGMENT * s;
    views.forEach((v, q) => {
      arrays.push(arrayOf(v) as Float32Array);
      params[r + q] = v.offset;
    });
    params.set([n, width * total, fresh?.[s] ? 1 : 0], r + OPERANDS);
    total += n;
  }
  const threads = threadsFor(total, MIN_PARALLEL_STEPS);
  params.set([k, threads, width]);
  record(threads, nk[name](arrays, out, params));
}
