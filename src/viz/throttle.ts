// In-place display updates at a bounded rate: the first update goes out at once, later ones at
// most every `intervalMs`, and a trailing timer makes sure the final state is always sent.
import { publishDisplay } from "../display/publish.js";
import type { MimeBundle } from "../display/protocol.js";

let nextId = 0;

export class LiveDisplay {
  readonly displayId = `dendrite-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}-${nextId++}`;
  private lastSent = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private shown = false;

  constructor(
    private readonly render: () => MimeBundle,
    private readonly intervalMs = 250,
  ) {}

  /** Creates the output now (a no-op outside a notebook). Returns whether it was shown. */
  show(): boolean {
    this.shown = publishDisplay(this.render(), { displayId: this.displayId });
    this.lastSent = Date.now();
    return this.shown;
  }

  /** Asks for an update; sent now or at the end of the current interval. */
  update(): void {
    if (!this.shown) return;
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), wait);
      // A pending update must not keep a script alive after its work is done.
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Sends the current state now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.shown) return;
    this.lastSent = Date.now();
    publishDisplay(this.render(), { displayId: this.displayId, update: true });
  }
}
