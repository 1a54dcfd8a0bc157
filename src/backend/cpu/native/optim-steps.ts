// Adam's and SGD's updates over a list of parameters on the native path: one addon call
// (optim-calls.c) for the whole list, its elements split across the addon's threads.
import type { TensorView } from "../../backend.js";
import { arrayOf } from "../buffer.js";
import type { NativeKernels } from "./native.js";
import { record, threadsFor } from "./runs.js";

/** Elements (all parameters together) below which an update stays on one thread. */
const MIN_PARALLEL_STEPS = 1 << 15;
/** k, threads, eight constants; then θ, g, m, v offsets, n, output offset, fresh per parameter. */
const HEADER = 10;
const PER_SEGMENT = 7;

/**
 * Runs `name` over the parameters of `inputs` (`per` views each: θ, g, then m and v or the
 * momentum buffer) into out, laid out as ops/optim-steps.ts says. consts: the update's
 * constants as float32 values (kernels/optim.h's order); fresh: SGD's per-parameter flags.
 */
export function nativeSteps(
  nk: NativeKernels,
  name: "adamSteps" | "sgdSteps",
  inputs: readonly TensorView[],
  per: number,
  consts: readonly number[],
  out: Float32Array,
  fresh?: readonly boolean[],
): void {
  const k = inputs.length / per;
  const width = name === "adamSteps" ? 3 : consts[5] !== 0 ? 2 : 1;
  const params = new Float64Array(HEADER + PER_SEGMENT * k);
  const arrays: Float32Array[] = [];
  params.set(consts, 2);
  let total = 0;
  for (let s = 0; s < k; s++) {
    // θ, g, then m and v; SGD has one state tensor and passes its g again for v.
    const views = inputs.slice(s * per, s * per + per);
    while (views.length < 4) views.push(views[1]);
    const n = views[0].shape.reduce((x, y) => x * y, 1);
    const r = HEADER + PER_SEGMENT * s;
    views.forEach((v, q) => {
      arrays.push(arrayOf(v) as Float32Array);
      params[r + q] = v.offset;
    });
    params.set([n, width * total, fresh?.[s] ? 1 : 0], r + 4);
    total += n;
  }
  const threads = threadsFor(total, MIN_PARALLEL_STEPS);
  params[0] = k;
  params[1] = threads;
  record(threads, nk[name](arrays, out, params));
}
