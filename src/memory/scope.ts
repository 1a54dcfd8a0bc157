// tidy(): every tensor created inside a scope is disposed when the scope ends, except what the
// function returns and what was kept (gradients, optimizer state, parameters).
//
// A scope given an async function stays open until its promise settles (see memory/async-scope.ts
// for the rule and what is detected when two scoped async functions overlap).
import { fail } from "../tensor/errors.js";
import { endsInOrder, isPromiseLike, overlapDetail } from "./async-scope.js";
import { abandonGradModes } from "../autograd/mode.js";

export interface Disposable {
  dispose(): void;
  readonly isDisposed: boolean;
  /** Marks the handle as counted for its whole life (kept handles have an owner). */
  _own?(): unknown;
  /** Called when the handle leaves every tidy() scope alive (see memory/lifetime.ts). */
  _leaveScope?(): void;
  /** Where the handle sits in the scope that holds it (kept by the scope: see track). */
  _scopeSlot?: number;
}

/** One open tidy(): the handles made while it was the innermost scope. */
interface Scope {
  /**
   * In creation order; a kept handle's slot is set to null. An array, not a Set: a Set of
   * every handle of a 20,000-op loop made the young generation's collections several times
   * slower (~0.6 µs per handle against ~0.1 µs, measured). A handle is in one scope at a time
   * (its creator's, then the enclosing one it is returned to), and remembers its slot there,
   * so keep() finds it without a search.
   */
  readonly tensors: (Disposable | null)[];
  /** Whether its function returned a promise (the scope outlives the call). */
  async: boolean;
  /** Ended by abandonScopes() before its function did (its code was stopped). */
  abandoned?: boolean;
}

const scopes: Scope[] = [];

function place(scope: Scope, t: Disposable): void {
  t._scopeSlot = scope.tensors.length;
  scope.tensors.push(t);
}

/** Whether `scope` holds `t` (in the slot `t` remembers). */
function holds(scope: Scope, t: Disposable): boolean {
  const slot = t._scopeSlot;
  return slot !== undefined && slot >= 0 && scope.tensors[slot] === t;
}

/**
 * Handles disposed when an async tidy() ended, so a later use can say why (an interleaved
 * callback's tensor, or one the function forgot to return). Only async scopes record them: a
 * synchronous scope cannot capture anyone else's tensors, and the hot path stays as it was.
 */
const freedByAsyncScope = new WeakSet<Disposable>();

/** Adds `t` to the innermost tidy() scope; false when no scope is open. */
export function track(t: Disposable): boolean {
  if (!scopes.length) return false;
  place(scopes[scopes.length - 1], t);
  return true;
}

/** Takes `t` out of the open scope holding it; whether one did. */
function untrack(t: Disposable): boolean {
  for (const s of scopes)
    if (holds(s, t)) {
      s.tensors[t._scopeSlot!] = null;
      t._scopeSlot = -1;
      return true;
    }
  return false;
}

/** Removes `t` from every open scope so no tidy() disposes it. Returns `t`. */
export function keep<T extends Disposable>(t: T): T {
  const held = untrack(t);
  t._own?.();
  if (held) t._leaveScope?.();
  return t;
}

/** Whether `t` was disposed by the end of an async tidy() (for the use-after-dispose message). */
export function wasFreedByAsyncScope(t: Disposable): boolean {
  return freedByAsyncScope.has(t);
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
 * `fn` may be async: the scope then stays open until its promise settles, so values can be read
 * with `await` inside (`await t.item()`), and the returned promise resolves to what `fn` resolved
 * to. Scopes are program-wide, like PyTorch's grad mode in one thread: code that runs during one
 * of `fn`'s awaits (a timer, a callback) runs inside the scope too. Await one scoped async
 * function before starting the next; two that overlap fail with a DendriteError (docs/api.md,
 * "Scopes around awaits").
 *
 * @example
 * ```ts
 * const loss = dl.tidy(() => lossFn.forward(model.forward(x), y)); // intermediates freed
 * const ids = await dl.tidy(async () => {
 *   const next = model.forward(x).argmax(-1);
 *   return Array.from(await next.data()); // read inside; `next` is freed afterwards
 * });
 * ```
 */
export function tidy<T>(fn: () => T): T {
  if (typeof fn !== "function") fail("tidy", `expected a function, got ${typeof fn}`);
  const scope: Scope = { tensors: [], async: false };
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    if (close(scope)) disposeAll(scope);
    throw e;
  }
  if (isPromiseLike(result)) {
    scope.async = true;
    return settle(scope, result) as T;
  }
  if (!close(scope)) {
    if (scope.abandoned) return result;
    fail("tidy", overlapDetail("tidy", true));
  }
  finish(scope, result);
  return result;
}

/** Ends an async scope when its promise settles: as a synchronous scope ends, or an overlap. */
async function settle<V>(scope: Scope, pending: PromiseLike<V>): Promise<V> {
  let value: V;
  try {
    value = await pending;
  } catch (e) {
    if (close(scope)) disposeAll(scope);
    else if (!scope.abandoned) fail("tidy", overlapDetail("tidy", true));
    throw e;
  }
  if (!close(scope)) {
    if (scope.abandoned) return value;
    fail("tidy", overlapDetail("tidy", true));
  }
  const returned = new Set<unknown>();
  collect(value, returned);
  for (const t of returned)
    if (isDisposable(t) && t.isDisposed && freedByAsyncScope.has(t) && !holds(scope, t)) {
      release(scope); // they overlapped: what this scope holds may be the other's
      fail("tidy", overlapDetail("tidy", false));
    }
  finish(scope, value, returned);
  return value;
}

/**
 * Takes `scope` off the stack. False when a scope opened after it is still open (they
 * overlapped): then it is removed from the middle and its tensors, which may be anyone's, are
 * handed to the garbage collector rather than disposed.
 */
function close(scope: Scope): boolean {
  if (scope.abandoned) return false;
  if (endsInOrder(scopes, scope)) return true;
  release(scope);
  return false;
}

/** Hands the scope's live tensors to the garbage collector (registered with the finalizer). */
function release(scope: Scope): void {
  for (const t of scope.tensors) {
    if (t === null) continue;
    t._scopeSlot = -1;
    if (!t.isDisposed) t._leaveScope?.();
  }
}

/**
 * Ends every open tidy() scope and noGrad()/enableGrad() mode at once, for a host that stopped
 * the code running inside them: a notebook kernel calls it when it interrupts a cell, so that
 * a scope waiting on a promise that never settles does not cover every later cell. The
 * scopes' tensors are not disposed (the stopped code may still hold them): they go to the
 * garbage collector, as after an overlap. Gradient recording is back on. When the stopped
 * functions do settle later, their scopes end quietly. Returns how many scopes and modes were
 * open. A program that is not stopping code has no use for it: a scope ends with its function.
 */
export function abandonScopes(): number {
  const open = scopes.length;
  for (const scope of scopes.splice(0)) {
    scope.abandoned = true;
    release(scope);
  }
  return open + abandonGradModes();
}

function disposeAll(scope: Scope): void {
  for (const t of scope.tensors) if (t) dispose(scope, t);
}

function dispose(scope: Scope, t: Disposable): void {
  if (t.isDisposed) return;
  t.dispose();
  if (scope.async) freedByAsyncScope.add(t);
}

function isDisposable(v: unknown): v is Disposable {
  return typeof (v as Disposable).dispose === "function" && "isDisposed" in (v as object);
}

/** Disposes what `result` does not contain; hands the rest to the enclosing scope (or the GC). */
function finish(scope: Scope, result: unknown, returned = new Set<unknown>()): void {
  if (!returned.size) collect(result, returned);
  const parent = scopes[scopes.length - 1];
  for (const t of scope.tensors) {
    if (t === null) continue;
    if (!returned.has(t)) dispose(scope, t);
    else if (parent) place(parent, t);
    else {
      t._scopeSlot = -1;
      if (!t.isDisposed) t._leaveScope?.();
    }
  }
}
