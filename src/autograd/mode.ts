// Whether ops record a graph. noGrad() turns recording off for the duration of a function — an
// async one until its promise settles (the rule for scopes around awaits: memory/async-scope.ts).
import { fail } from "../tensor/errors.js";
import { endsInOrder, isPromiseLike, overlapDetail } from "../memory/async-scope.js";

/** The open noGrad()/enableGrad() calls, innermost last; the mode is the innermost one's. */
const modes: { readonly on: boolean; async: boolean; abandoned?: boolean }[] = [];
let enabled = true;

/** Whether operations are currently recorded for autograd (false inside {@link noGrad}). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Whether a noGrad() given an async function is still waiting (for error messages). */
export function asyncNoGradPending(): boolean {
  return modes.some((m) => m.async && !m.on);
}

/**
 * Runs `fn` with recording set to `on`, restoring the previous mode afterwards — after the
 * promise settles when `fn` returns one.
 */
export function withGradMode<T>(
  on: boolean,
  fn: () => T,
  op: "noGrad" | "enableGrad" = on ? "enableGrad" : "noGrad",
): T {
  if (typeof fn !== "function") fail(op, `expected a function, got ${typeof fn}`);
  const mode = { on, async: false };
  modes.push(mode);
  enabled = on;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    end(mode, op);
    throw e;
  }
  if (isPromiseLike(result)) {
    mode.async = true;
    return settle(mode, result, op) as T;
  }
  end(mode, op);
  return result;
}

async function settle<V>(
  mode: (typeof modes)[number],
  pending: PromiseLike<V>,
  op: "noGrad" | "enableGrad",
): Promise<V> {
  try {
    return await pending;
  } finally {
    end(mode, op);
  }
}

/** Takes `mode` off the stack; the innermost remaining one (or recording on) applies again. */
function end(mode: (typeof modes)[number], op: "noGrad" | "enableGrad"): void {
  if (mode.abandoned) return; // ended by abandonGradModes()
  const inOrder = endsInOrder(modes, mode);
  enabled = modes.length ? modes[modes.length - 1].on : true;
  if (!inOrder) fail(op, overlapDetail(op, true));
}

/** Ends every open mode (memory/scope.ts abandonScopes): recording is on again. */
export function abandonGradModes(): number {
  const open = modes.length;
  for (const mode of modes.splice(0)) mode.abandoned = true;
  enabled = true;
  return open;
}

/**
 * Runs `fn` without recording operations for autograd (PyTorch's `torch.no_grad()`): outputs have
 * no gradFn.
 *
 * `fn` may be async: recording stays off until its promise settles, so a decoder can read values
 * with `await` inside. The mode is program-wide, as PyTorch's is per thread: code that runs
 * during one of `fn`'s awaits records nothing either. Await one scoped async function before
 * starting the next; two that overlap fail with a DendriteError (docs/api.md, "Scopes around
 * awaits").
 *
 * @example
 * ```ts
 * const y = dl.noGrad(() => model.forward(x)); // inference, no graph kept
 * const classes = await dl.noGrad(async () => Array.from(await model.forward(x).argmax(-1).data()));
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn, "noGrad");
}

/**
 * Runs `fn` with gradient recording on, even inside {@link noGrad} (PyTorch's
 * `torch.enable_grad()`); like noGrad, an async `fn` keeps it on until its promise settles.
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn, "enableGrad");
}
