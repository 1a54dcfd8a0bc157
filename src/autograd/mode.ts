// Whether ops record a graph. noGrad() turns recording off for the duration of a function.
import { fail } from "../tensor/errors.js";

let enabled = true;

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

export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
