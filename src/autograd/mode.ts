// Whether ops record a graph. noGrad() turns recording off for the duration of a function.
import { fail } from "../tensor/errors.js";

let enabled = true;

/** Whether operations are currently recorded for autograd (false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs `fn` with recording set to `on`, restoring the previous mode afterwards. */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = on;
  try {
    const r = fn();
    if (r instanceof Promise)
      fail("noGrad", "cannot wrap an async function; await inside and wrap the sync parts");
    return r;
  } finally {
    enabled = prev;
  }
}

/**
 * Runs `fn` without recording operations for autograd (PyTorch's `torch.no_grad()`): outputs have
 * no gradFn.
 *
 * @example
 * ```ts
 * const y = dl.noGrad(() => model.forward(x)); // inference, no graph kept
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with gradient recording on, even inside {@link noGrad} (PyTorch's
 * `torch.enable_grad()`).
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
