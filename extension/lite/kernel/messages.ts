// Jupyter messages made in the worker, shaped as the Node kernel's (kernel/wire.ts) are.
// JupyterLite routes a kernel's message to the client whose session the header names, so a
// message carries the session of the request it answers (as JupyterLite's own kernels do).
import type { JupyterMessage } from "./protocol.js";

const OWN_SESSION = crypto.randomUUID();

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
      session: typeof parent?.session === "string" ? parent.session : OWN_SESSION,
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
