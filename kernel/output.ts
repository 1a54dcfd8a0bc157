// Where cell output goes. Streams are buffered briefly (a loop printing a million lines
// sends a few messages, not a million) and capped per cell; every other output flushes them
// first so order is kept. Output produced after a cell ends (timers, promises) goes to the
// most recent cell, as in IPython. Display updates carry the current request as parent too,
// as ipykernel's do: front ends find the display to replace by its display_id, wherever it
// is (nbclient only reads messages of the cell it is running, so another parent would lose
// an update sent by async code while a later cell runs).
import type { IopubChannel } from "./channels.js";
import type { Header } from "./wire.js";

const FLUSH_MS = 50;
/** Stream text kept per cell before the rest is dropped with a notice. */
export const STREAM_CAP = 16 * 1024 * 1024;

type StreamName = "stdout" | "stderr";

export class Output {
  private parent: Partial<Header> | null = null;
  private silent = false;
  private pendingName: StreamName | null = null;
  private pendingText = "";
  private timer: ReturnType<typeof setTimeout> | null = null;
  private streamed = 0;
  /** What was printed before the first cell (library warnings at load): shown in it. */
  private early = "";

  constructor(private readonly iopub: IopubChannel) {}

  /** A new execute request starts: it receives output from now on. */
  begin(parent: Partial<Header>, silent: boolean): void {
    this.flush();
    this.parent = parent;
    this.silent = silent;
    this.streamed = 0;
    if (this.early && !silent) this.stream("stderr", this.early);
    if (!silent) this.early = "";
  }

  get currentParent(): Partial<Header> | null {
    return this.parent;
  }

  stream(name: StreamName, text: string): void {
    if (!this.parent) {
      if (this.early.length < 1 << 16) this.early += text;
      return;
    }
    if (this.silent || text.length === 0) return;
    if (this.streamed >= STREAM_CAP) return;
    this.streamed += text.length;
    if (this.streamed >= STREAM_CAP) {
      text = text.slice(0, Math.max(0, text.length - (this.streamed - STREAM_CAP)));
      text += `\n[dendrite: output over ${STREAM_CAP / 2 ** 20} MiB in this cell; rest dropped]\n`;
    }
    if (this.pendingName !== name) this.flush();
    this.pendingName = name;
    this.pendingText += text;
    if (this.pendingText.length > 1 << 20) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      // Node: a pending flush must not keep the process alive (a browser timer is a number).
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pendingName && this.pendingText && this.parent) {
      const content = { name: this.pendingName, text: this.pendingText };
      void this.iopub.publish("stream", content, this.parent);
    }
    this.pendingName = null;
    this.pendingText = "";
  }

  /** display_data, or update_display_data when `update` names an existing display. */
  display(bundle: Bundle, opts: { displayId?: string; update?: boolean } = {}): void {
    if (this.silent && !opts.update) return;
    this.flush();
    const transient = opts.displayId ? { display_id: opts.displayId } : {};
    const content = { data: bundle.data, metadata: bundle.metadata, transient };
    if (!this.parent) return;
    const type = opts.update && opts.displayId ? "update_display_data" : "display_data";
    void this.iopub.publish(type, content, this.parent);
  }

  executeResult(count: number, bundle: Bundle): void {
    if (this.silent || !this.parent) return;
    this.flush();
    const content = { execution_count: count, data: bundle.data, metadata: bundle.metadata };
    void this.iopub.publish("execute_result", content, this.parent);
  }

  error(content: { ename: string; evalue: string; traceback: string[] }): void {
    if (this.silent || !this.parent) return;
    this.flush();
    void this.iopub.publish("error", content, this.parent);
  }

  clear(wait: boolean): void {
    if (this.silent || !this.parent) return;
    this.flush();
    void this.iopub.publish("clear_output", { wait }, this.parent);
  }
}

export interface Bundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
