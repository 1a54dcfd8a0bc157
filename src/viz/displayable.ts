// Displayable values returned by dl.viz helpers, and show().
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { publishDisplay } from "../display/publish.js";

export type MaybePromise<T> = T | Promise<T>;

/** A value that renders itself: the last expression of a cell, or passed to dl.viz.show. */
export class Display {
  constructor(private readonly build: () => MaybePromise<MimeBundle>) {}

  /** The display bundle a notebook shows. */
  [JUPYTER_DISPLAY](): MaybePromise<MimeBundle> {
    return this.build();
  }

  /** The text fallback. */
  toString(): string {
    const b = this.build();
    return b instanceof Promise ? "[display]" : b["text/plain"];
  }
}

/** The MIME bundle of anything displayable (text for everything else). */
export function bundleOf(x: unknown): MaybePromise<MimeBundle> {
  const fn =
    x !== null && typeof x === "object"
      ? (x as Record<symbol, unknown>)[JUPYTER_DISPLAY]
      : undefined;
  if (typeof fn === "function") return fn.call(x) as MaybePromise<MimeBundle>;
  return { "text/plain": typeof x === "string" ? x : String(x) };
}

function emit(bundle: MimeBundle): void {
  if (!publishDisplay(bundle)) console.log(bundle["text/plain"]);
}

/**
 * Displays anything displayable now (in a notebook: a new output; elsewhere: its text).
 * Returns a promise only when the value must first be read from a device.
 */
export function show(x: unknown): void | Promise<void> {
  const b = bundleOf(x);
  if (b instanceof Promise) return b.then(emit);
  emit(b);
}
