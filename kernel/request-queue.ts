// How a kernel takes requests, whatever carries them (ZeroMQ in the Node kernel, postMessage
// in the site's worker): one at a time, in arrival order, each between a busy and an idle
// status (as ipykernel does, so a front end's status indicator is right). After an
// execute_request fails with stop_on_error, the execute requests sent before the failure are
// answered `aborted`, and only those: one the client sends after seeing the error reply runs,
// however soon it arrives. (tslab aborted everything for 200 ms.) Comm messages and
// comm_info_request skip the queue: they are handled as they arrive, so a widget event
// reaches its handler while a cell (a training loop) is still running.
import type { IopubChannel } from "./channels.js";
import type { Message } from "./wire.js";

export type Handler = (msg: Message) => Promise<Record<string, unknown> | null>;
/** Sends the reply to `request` (its `_reply` type, on its channel). */
export type Reply = (request: Message, content: Record<string, unknown>) => Promise<void>;

/** The requests that skip the queue. */
export const IMMEDIATE_REQUESTS: ReadonlySet<string> = new Set([
  "comm_info_request",
  "comm_open",
  "comm_msg",
  "comm_close",
]);

/** Lets messages already on their way (in the socket, in the worker's inbox) arrive. */
const settle = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

export class RequestQueue {
  private readonly queue: Message[] = [];
  private readonly receivedAt = new WeakMap<Message, number>();
  private pumping = false;
  /** When the last failure with stop_on_error happened, while its abort lasts. */
  private abortCutoff: number | null = null;
  /** The queued request being handled now, if any. */
  private current: Message | null = null;

  constructor(
    private readonly reply: Reply,
    private readonly iopub: IopubChannel,
    private readonly handlers: Map<string, Handler>,
    private readonly log: (text: string) => void,
    private readonly immediate: ReadonlySet<string> = IMMEDIATE_REQUESTS,
    /** Told when a request is answered (its idle status sent), in or out of the queue. */
    private readonly onDone: (msg: Message) => void = () => {},
  ) {}

  /** Takes one request in: handled now if it skips the queue, else in its turn. */
  receive(msg: Message): void {
    if (this.immediate.has(msg.header.msg_type)) {
      void this.dispatchNow(msg);
      return;
    }
    this.receivedAt.set(msg, Date.now());
    this.queue.push(msg);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const msg = this.queue.shift() as Message;
        this.current = msg;
        const failedAt = await this.dispatch(msg);
        this.onDone(msg);
        if (failedAt !== null && msg.content.stop_on_error !== false) {
          this.abortCutoff = failedAt;
          // Requests sent before the failure may still be on their way: let them in.
          await settle();
        }
        if (this.queue.length === 0) this.abortCutoff = null;
      }
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Handles a message out of turn, between its own busy and idle (a widget front end counts
   * its pending messages by them). If a queued request is still running, busy is said again
   * for it, so the kernel's status indicator goes on showing the cell as running.
   */
  private async dispatchNow(msg: Message): Promise<void> {
    const running = this.current;
    void this.iopub.status("busy", msg.header);
    try {
      const content = await this.handlers.get(msg.header.msg_type)?.(msg);
      if (content) await this.reply(msg, content);
    } catch (err) {
      this.log(`${msg.header.msg_type} failed: ${(err as Error)?.stack ?? String(err)}`);
    } finally {
      // Queued right after this idle, while the running request's own idle is still to come.
      const idle = this.iopub.status("idle", msg.header);
      if (running && this.current === running) void this.iopub.status("busy", running.header);
      await idle;
      this.onDone(msg);
    }
  }

  /** Sent (by the client's clock) or received before the failure that started an abort. */
  private shouldAbort(msg: Message): boolean {
    if (this.abortCutoff === null || msg.header.msg_type !== "execute_request") return false;
    const sent = Date.parse(String(msg.header.date));
    const received = this.receivedAt.get(msg) ?? Date.now();
    return received <= this.abortCutoff || (Number.isFinite(sent) && sent <= this.abortCutoff);
  }

  /** Handles one request; the time it failed if it was an execute_request that failed. */
  private async dispatch(msg: Message): Promise<number | null> {
    const type = msg.header.msg_type;
    void this.iopub.status("busy", msg.header);
    let failedAt: number | null = null;
    try {
      if (this.shouldAbort(msg)) {
        await this.reply(msg, { status: "aborted", execution_count: null });
        return null;
      }
      const handler = this.handlers.get(type);
      if (!handler) {
        this.log(`ignored a ${type} message`);
        return null;
      }
      const content = await handler(msg);
      if (type === "execute_request" && content?.status === "error") failedAt = Date.now();
      if (content) await this.reply(msg, content);
    } catch (err) {
      this.log(`${type} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (type.endsWith("_request")) {
        const evalue = String((err as Error)?.message ?? err);
        const content = { status: "error", ename: "KernelError", evalue, traceback: [evalue] };
        await this.reply(msg, content);
      }
    } finally {
      // No longer current *before* its idle is queued: a comm message handled meanwhile
      // re-announces busy only while this idle is still to come (else the kernel would look
      // busy forever).
      this.current = null;
      await this.iopub.status("idle", msg.header);
    }
    return failedAt;
  }
}
