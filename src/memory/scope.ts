// tidy(): every tensor created inside a scope is disposed when the scope ends, except what the
// function returns and what was kept (gradients, optimizer state, parameters).
import { fail } from "../tensor/errors.js";

export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
  /** Marks the handle as counted for its whole life (kept handles have an owner). */
  _own?(): unknown;
  /** Called when the handle leaves every tidy() scope alive (see memory/lifetime.ts). */
  _leaveScope?(): void;
}

const scopes: Set<Disposable>[] = [];

/** Adds `t` to the innermost tidy() scope; false when no scope is open. */
export function track(t: Disposable): boolean {
  if (!scopes.length) return false;
  scopes[scopes.length - 1].add(t);
  return true;
}

/** Removes `t` from every open scope so no tidy() disposes it. Returns `t`. */
export function keep<T extends Disposable>(t: T): T {
  let held = false;
  for (const s of scopes) held = s.delete(t) || held;
  t._own?.();
  if (held) t._leaveScope?.();
  return t;
}

function collect(value: unknown, out: Set<unknown>, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 4) return;
  out.add(value);
  if (Array.isArray(value)) for (const v of value) collect(v, out, depth + 1);
  else if (value instanceof Map) for (const v of value.values()) collect(v, out, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collect(v, out, depth + 1);
}

/**
 * Runs `fn` and disposes every tensor created inside that is not returned or {@link keep}-ed
 * (TensorFlow.js's tidy), so loops do not leak device memory.
 *
 * @example
 * ```ts
 * const loss = dl.tidy(() => lossFn.forward(model.forward(x), y)); // intermediates freed
 * ```
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") fail("tidy", `expected a function, got ${typeof fn}`);
  const scope = new Set<Disposable>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    scopes.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  scopes.pop();
  if (result instanceof Promise)
    fail("tidy", "cannot wrap an async function: tensors would be freed before it resolves");
  const returned = new Set<unknown>();
  collect(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (!returned.has(t)) {
      if (!t.isDisposed) t.dispose();
    } else if (parent) parent.add(t);
    else if (!t.isDisposed) t._leaveScope?.();
  }
  return result;
}
