// Values become MIME bundles here. An object with a `Symbol.for("Jupyter.display")` method
// (the convention of Deno's kernel, which the library's tensors, modules and plots follow)
// provides its whole bundle; anything else is shown as text, like Node's REPL shows it.
import { inspect } from "node:util";
import type { Bundle, Output } from "./output.js";

const DISPLAY = Symbol.for("Jupyter.display");

/** Bounded so a huge array or string as a cell's last value stays a readable output. */
export function textRepr(value: unknown): string {
  return inspect(value, {
    depth: 4,
    maxArrayLength: 100,
    maxStringLength: 10_000,
    breakLength: 100,
  });
}

function normalise(raw: unknown, value: unknown): Bundle {
  const data: Record<string, unknown> =
    raw && typeof raw === "object" ? { ...(raw as Record<string, unknown>) } : {};
  if (typeof data["text/plain"] !== "string") data["text/plain"] = textRepr(value);
  return { data, metadata: {} };
}

/** The bundle of a value; a promise only if the value's display method is async. */
export function toBundle(value: unknown): Bundle | Promise<Bundle> {
  const method = (value as { [DISPLAY]?: unknown } | null | undefined)?.[DISPLAY];
  if (typeof method !== "function") return normalise(null, value);
  const raw = method.call(value);
  if (raw instanceof Promise) return raw.then((r) => normalise(r, value));
  return normalise(raw, value);
}

export interface DisplayOptions {
  /** Name the output, to update it later; `true` picks a fresh id. */
  displayId?: string | true;
}

export interface DisplayHandle {
  readonly displayId: string;
  /** Replaces the output in place, wherever it is in the notebook. */
  update(value: unknown): void;
}

/** The functions a notebook gets as globals, plus the hooks for the library and tslab. */
export function createDisplayApi(output: Output, onError: (err: unknown) => void) {
  const send = (value: unknown, displayId: string, update: boolean) => {
    let bundle: Bundle | Promise<Bundle>;
    try {
      bundle = toBundle(value);
    } catch (err) {
      // A broken display method must not hide the value: show its text and the error.
      onError(err);
      bundle = normalise(null, value);
    }
    if (bundle instanceof Promise) {
      bundle.then((b) => output.display(b, { displayId, update }), onError);
    } else {
      output.display(bundle, { displayId, update });
    }
  };

  // Like IPython's display(): nothing comes back (so `display(x)` as a cell's last line adds
  // no second output) unless a display id is asked for.
  const display = (value: unknown, options?: DisplayOptions): DisplayHandle | undefined => {
    const displayId =
      typeof options?.displayId === "string" ? options.displayId : crypto.randomUUID();
    send(value, displayId, false);
    if (!options) return undefined;
    return { displayId, update: (next: unknown) => send(next, displayId, true) };
  };

  const clearOutput = (wait = false): void => output.clear(wait);

  /** For the library's setDisplayPublisher: it passes bundles, not values. */
  const publisher = (
    bundle: Record<string, unknown>,
    opts?: { displayId?: string; update?: boolean },
  ) => output.display(normalise(bundle, bundle), opts);

  /** For tslab's `display` API, which writes whole display_data contents. */
  const tslabWriter = (
    content: {
      data: Record<string, unknown>;
      metadata?: Record<string, unknown>;
      transient?: { display_id?: string };
    },
    update: boolean,
  ) =>
    output.display(
      { data: content.data, metadata: content.metadata ?? {} },
      { displayId: content.transient?.display_id, update },
    );

  return { display, clearOutput, publisher, tslabWriter };
}

/** The declarations cells see for the globals above (readable by TypeScript 5.0). */
export const DISPLAY_DECL = `
declare function display(value: unknown): void;
declare function display(value: unknown, options: { displayId?: string | true }): { readonly displayId: string; update(value: unknown): void };
declare function clearOutput(wait?: boolean): void;
`;
