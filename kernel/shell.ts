// The shell channel: requests are handled one at a time, in arrival order, each between a
// busy and an idle status (as ipykernel does, so a front end's status indicator is right).
// After an execute_request fails with stop_on_error, the execute requests already queued
// are answered `aborted`, and only those: the abort ends when the queue is empty.
import type { Iopub, Sender, ZmqSocket } from "./channels.js";
import { decode, makeReply, type Message } from "./wire.js";

export type Handler = (msg: Message) => Promise<Record<string, unknown> | null>;

/** Lets messages already waiting in the socket reach the queue. */
const settle = () => new Promise<void>((r) => setImmediate(() => setImmediate(r)));

export class Shell {
  private readonly queue: Message[] = [];
  private pumping = false;
  private aborting = false;

  constructor(
    private readonly sender: Sender,
    private readonly iopub: Iopub,
    private readonly handlers: Map<string, Handler>,
    private readonly log: (text: string) => void,
  ) {}

  async listen(socket: ZmqSocket, key: string): Promise<void> {
    for await (const frames of socket) {
      try {
        this.queue.push(decode(key, frames));
      } catch (err) {
        this.log(`dropped a shell message: ${String(err)}`);
        continue;
      }
      void this.pump();
    }
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0) {
        const msg = this.queue.shift() as Message;
        const failed = await this.dispatch(msg);
        if (failed && msg.content.stop_on_error !== false) {
          this.aborting = true;
          await settle();
        }
        if (this.queue.length === 0) this.aborting = false;
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Handles one request; true when it was an execute_request that failed. */
  private async dispatch(msg: Message): Promise<boolean> {
    const type = msg.header.msg_type;
    void this.iopub.status("busy", msg.header);
    let failed = false;
    try {
      if (this.aborting && type === "execute_request") {
        await this.sender.send(makeReply(msg, { status: "aborted", execution_count: null }));
        return false;
      }
      const handler = this.handlers.get(type);
      if (!handler) {
        this.log(`ignored a ${type} message`);
        return false;
      }
      const content = await handler(msg);
      if (content) await this.sender.send(makeReply(msg, content));
      failed = type === "execute_request" && content?.status === "error";
    } catch (err) {
      this.log(`${type} failed: ${(err as Error)?.stack ?? String(err)}`);
      if (type.endsWith("_request")) {
        const evalue = String((err as Error)?.message ?? err);
        const content = { status: "error", ename: "KernelError", evalue, traceback: [evalue] };
        await this.sender.send(makeReply(msg, content));
      }
    } finally {
      await this.iopub.status("idle", msg.header);
    }
    return failed;
  }
}
