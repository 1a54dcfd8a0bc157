// dl.viz.live: one output whose picture is replaced in place, for anything displayable — a graph
// recoloured as a model trains, a grid of generated samples after every epoch. livePlot covers
// curves of numbers; this covers every other picture that changes during a loop.
import type { MimeBundle } from "../display/protocol.js";
import { bundleOf } from "./displayable.js";
import { LiveDisplay } from "./throttle.js";

/** Options of {@link live}. */
export interface LiveOptions {
  /** Minimum milliseconds between updates sent to the front end (default 250). */
  throttleMs?: number;
}

/** A display that can be replaced in place (`update(value)`); see {@link live}. */
export class LiveView {
  private current: MimeBundle;
  private readonly live: LiveDisplay;

  constructor(first: MimeBundle, opts: LiveOptions) {
    this.current = first;
    this.live = new LiveDisplay(() => this.current, opts.throttleMs ?? 250);
    // Outside a notebook there is no output to update: print the first text instead.
    if (!this.live.show()) console.log(first["text/plain"]);
  }

  /**
   * Replaces the picture with `x` (throttled; the last one is always sent). Returns a promise
   * only when `x` must first be read from a device.
   */
  update(x: unknown): void | Promise<void> {
    const b = bundleOf(x);
    const set = (bundle: MimeBundle) => {
      this.current = bundle;
      this.live.update();
    };
    if (b instanceof Promise) return b.then(set);
    set(b);
  }

  /** Sends the current picture now (the trailing update would also send it). */
  done(): this {
    this.live.flush();
    return this;
  }

  /** The current content's text. */
  toString(): string {
    return this.current["text/plain"];
  }
}

/**
 * Shows `x` now and returns a view whose `update(next)` replaces it in place.
 *
 * @example
 * ```ts
 * const view = await dl.viz.live(dl.viz.graph(model));
 * for (let epoch = 0; epoch < 5; epoch++) {
 *   // ... train ...
 *   await view.update(dl.viz.graph(model));
 * }
 * ```
 */
export async function live(x: unknown, opts: LiveOptions = {}): Promise<LiveView> {
  return new LiveView(await bundleOf(x), opts);
}
