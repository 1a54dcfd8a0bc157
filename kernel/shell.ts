// The shell channel of the Node kernel: requests decoded from the ZeroMQ socket go to the
// request queue (request-queue.ts: one at a time, aborts after a failure, comm messages out of
// turn), replies go back to the peer that asked.
import type { Iopub, Sender, ZmqSocket } from "./channels.js";
import { RequestQueue, type Handler } from "./request-queue.js";
import { decode, makeReply } from "./wire.js";

export type { Handler } from "./request-queue.js";

export class Shell {
  private readonly requests: RequestQueue;

  constructor(
    sender: Sender,
    iopub: Iopub,
    handlers: Map<string, Handler>,
    private readonly log: (text: string) => void,
    immediate?: ReadonlySet<string>,
  ) {
    const reply = (msg: Parameters<typeof makeReply>[0], content: Record<string, unknown>) =>
      sender.send(makeReply(msg, content));
    this.requests = new RequestQueue(reply, iopub, handlers, log, immediate);
  }

  async listen(socket: ZmqSocket, key: string): Promise<void> {
    for await (const frames of socket) {
      try {
        this.requests.receive(decode(key, frames));
      } catch (err) {
        this.log(`dropped a shell message: ${String(err)}`);
      }
    }
  }
}
