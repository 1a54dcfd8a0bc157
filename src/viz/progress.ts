// dl.viz.progress: a progress bar for loops, updated in place (tqdm's habits: count, rate,
// elapsed and remaining time). Works over arrays, iterables and async iterables.
import { JUPYTER_DISPLAY, type MimeBundle } from "../display/protocol.js";
import { escapeXml } from "../display/svg.js";
import { LiveDisplay } from "./throttle.js";

/** Options of {@link progress} and {@link ProgressBar}. */
export interface ProgressOptions {
  /** Expected number of ticks (shows a bar and time left when known). */
  total?: number;
  /** A label before the bar. */
  desc?: string;
  /** Minimum milliseconds between updates sent to the front end (default 200). */
  throttleMs?: number;
}

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

/** A tqdm-style progress bar that updates in place in a notebook. */
export class ProgressBar {
  /** Ticks so far. */
  count = 0;
  /** Text shown after the bar (e.g. the current loss). */
  postfix = "";
  private readonly start = Date.now();
  private readonly live: LiveDisplay;

  /** @param opts - Total, label and update rate. */
  constructor(readonly opts: ProgressOptions = {}) {
    this.live = new LiveDisplay(() => this.bundle(), opts.throttleMs ?? 200);
    this.live.show();
  }

  /** Advances by `n` ticks (default 1). */
  tick(n = 1): void {
    this.count += n;
    this.live.update();
  }

  /** Text after the bar, e.g. the running loss. */
  setPostfix(text: string): void {
    this.postfix = text;
    this.live.update();
  }

  /** Shows the final state. */
  close(): void {
    this.live.flush();
  }

  /** The bar as text: `desc 42/100 [00:03<00:04]`. */
  text(): string {
    const total = this.opts.total;
    const elapsed = (Date.now() - this.start) / 1000;
    const rate = elapsed > 0 ? this.count / elapsed : 0;
    const desc = this.opts.desc ? `${this.opts.desc}: ` : "";
    const tail = this.postfix ? `, ${this.postfix}` : "";
    if (!total)
      return `${desc}${this.count} it [${clock(elapsed)}, ${rate.toFixed(2)} it/s${tail}]`;
    const frac = Math.min(1, this.count / total);
    const width = 24;
    const bar = "█".repeat(Math.round(frac * width)).padEnd(width, " ");
    const eta = rate > 0 ? (total - this.count) / rate : Infinity;
    return `${desc}${Math.round(frac * 100)}%|${bar}| ${this.count}/${total} [${clock(elapsed)}<${clock(eta)}, ${rate.toFixed(2)} it/s${tail}]`;
  }

  /** The bar as a display bundle. */
  bundle(): MimeBundle {
    const total = this.opts.total ?? 0;
    const html =
      `<div style="font-family:monospace"><progress value="${this.count}" max="${total || this.count || 1}" ` +
      `style="width:40%;vertical-align:middle"></progress> ${escapeXml(this.text())}</div>`;
    return { "text/plain": this.text(), "text/html": html };
  }

  /** The bar as a display bundle. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle();
  }
}

function totalOf(it: unknown): number | undefined {
  const o = it as { length?: unknown; size?: unknown };
  if (typeof o.length === "number") return o.length;
  if (typeof o.size === "number") return o.size;
  return undefined;
}

/** Wraps an iterable: iterating it advances a progress bar. Async iterables stay async. */
export function progress<T>(
  iterable: Iterable<T>,
  opts?: ProgressOptions,
): Iterable<T> & {
  /** The bar iterating advances. */
  bar: ProgressBar;
};
export function progress<T>(
  iterable: AsyncIterable<T>,
  opts?: ProgressOptions,
): AsyncIterable<T> & {
  /** The bar iterating advances. */
  bar: ProgressBar;
};
export function progress<T>(
  iterable: Iterable<T> | AsyncIterable<T>,
  opts: ProgressOptions = {},
): (Iterable<T> | AsyncIterable<T>) & { bar: ProgressBar } {
  const bar = new ProgressBar({ ...opts, total: opts.total ?? totalOf(iterable) });
  // A source with both protocols (a DataLoader) keeps both: `for` and `for await` each work.
  const wrapped: Partial<Iterable<T> & AsyncIterable<T>> & { bar: ProgressBar } = { bar };
  if (Symbol.asyncIterator in iterable)
    wrapped[Symbol.asyncIterator] = async function* () {
      try {
        for await (const x of iterable as AsyncIterable<T>) {
          yield x;
          bar.tick();
        }
      } finally {
        bar.close();
      }
    };
  if (Symbol.iterator in iterable)
    wrapped[Symbol.iterator] = function* () {
      try {
        for (const x of iterable as Iterable<T>) {
          yield x;
          bar.tick();
        }
      } finally {
        bar.close();
      }
    };
  return wrapped as (Iterable<T> | AsyncIterable<T>) & { bar: ProgressBar };
}
