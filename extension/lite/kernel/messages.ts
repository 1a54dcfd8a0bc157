// Jupyter messages made in the worker, shaped as the Node kernel's (kernel/wire.ts) are.
import type { JupyterMessage } from "./protocol.js";

const SESSION = crypto.randomUUID();

export function makeMessage(
  channel: string,
  type: string,
  content: Record<string, unknown>,
  parent: Record<string, unknown> | null,
): JupyterMessage {
  return {
    header: {
      msg_id: crypto.randomUUID(),
      msg_type: type,
      session: SESSION,
      username: "dendrite",
      date: new Date().toISOString(),
      version: "5.3",
    },
    parent_header: parent ?? {},
    metadata: {},
    content,
    buffers: [],
    channel,
  };
}

export function replyType(requestType: string): string {
  return requestType.replace(/_request$/, "_reply");
}
