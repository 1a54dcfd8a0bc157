// What tidy(), noGrad() and enableGrad() share when given an async function.
//
// The rule: a scope stays open until the function's promise settles, and scopes are
// program-wide — JavaScript has no portable way to tell which async function is running (no
// async context in browsers), so, like PyTorch's grad mode in one thread, a scope applies to
// whatever runs while it is open, including code that runs during one of its awaits. Scopes
// therefore must end in the reverse order they started, as nested blocks do. Two scoped async
// functions that overlap break that order, and are reported as a DendriteError wherever it
// shows:
// - a scope that ends while one started after it is still open fails (and a tidy() then
//   disposes nothing: its tensors may be anyone's, so the garbage collector gets them);
// - a tidy() whose result holds a tensor another async tidy() disposed fails;
// - using a tensor an async tidy() disposed names that scope (tensor._assertAlive).
// The grad mode is recomputed from the scopes still open, so an overlap never leaves it stuck.

/** Whether `v` is a promise (or a thenable) that a scope must wait for. */
export function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as PromiseLike<unknown>).then === "function"
  );
}

/**
 * Removes `item` from `stack`: true when it was on top (scopes ended in order), false when it
 * was below a scope opened after it (they overlapped).
 */
export function endsInOrder<T>(stack: T[], item: T): boolean {
  const i = stack.lastIndexOf(item);
  if (i === stack.length - 1) {
    stack.pop();
    return true;
  }
  if (i >= 0) stack.splice(i, 1);
  return false;
}

const RULE =
  "Scopes are program-wide, like torch.no_grad() in one thread: code that runs during an await " +
  "runs inside the scopes open then, so scopes must end in the reverse order they started. " +
  "Await each scoped async function before starting another (no Promise.all over them, no " +
  "un-awaited call), and do tensor work in callbacks only when no scoped async function is waiting.";

/**
 * The message for an overlap: `ended` when a scope ended while one opened after it was still
 * open, else when a tidy() was to return a tensor another async tidy() had disposed.
 */
export function overlapDetail(op: "tidy" | "noGrad" | "enableGrad", ended: boolean): string {
  if (!ended)
    return (
      "the value to return holds a tensor that an async dl.tidy() disposed when it ended: it " +
      "was made while that scope was the innermost one, so two scoped async functions " +
      `overlapped (or the tensor was made there and not returned). ${RULE}`
    );
  const tensors =
    op === "tidy"
      ? " Its tensors were not disposed (they may be anyone's): the garbage collector frees them."
      : "";
  return `this scope ended while a scope started after it is still open: two scoped async functions overlapped.${tensors} ${RULE}`;
}
