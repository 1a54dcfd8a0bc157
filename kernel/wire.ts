// The Jupyter wire protocol (message spec 5.3): frames on the socket, HMAC signatures, and
// headers. Shared by the main thread and the control worker, so it imports nothing heavy.
import { createHmac, randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIMITER = "<IDS|MSG>";

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
  [key: string]: unknown;
}

export interface Message {
  /** ZeroMQ routing identities: replies go back to the same peer. */
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, any>;
  buffers: Buffer[];
}

export interface ConnectionInfo {
  transport: string;
  ip: string;
  key: string;
  signature_scheme?: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

// One session id per kernel process, as the spec asks of kernels.
const SESSION = randomUUID();

function sign(key: string, parts: Buffer[]): string {
  // An empty key disables signatures (the spec's "no authentication" mode).
  if (!key) return "";
  const hmac = createHmac("sha256", key);
  for (const p of parts) hmac.update(p);
  return hmac.digest("hex");
}

/** Parses raw frames; throws on a bad signature so forged messages are never run. */
export function decode(key: string, frames: Buffer[]): Message {
  const delim = frames.findIndex((f) => f.toString() === DELIMITER);
  if (delim < 0) throw new Error("message without <IDS|MSG> delimiter");
  const signature = frames[delim + 1].toString();
  const parts = frames.slice(delim + 2, delim + 6);
  if (parts.length < 4) throw new Error("message with fewer than four parts");
  if (key && sign(key, parts) !== signature) throw new Error("message with a bad signature");
  const [header, parent, metadata, content] = parts.map((p) => JSON.parse(p.toString() || "{}"));
  return {
    identities: frames.slice(0, delim),
    header,
    parent_header: parent,
    metadata,
    content,
    buffers: frames.slice(delim + 6),
  };
}

/** Serialises a message into signed frames. */
export function encode(key: string, msg: Message): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) =>
    Buffer.from(JSON.stringify(p)),
  );
  const frames = [...msg.identities, Buffer.from(DELIMITER), Buffer.from(sign(key, parts))];
  return [...frames, ...parts, ...msg.buffers];
}

/** A new message answering or caused by `parent` (null for unsolicited ones). */
export function makeMessage(
  msgType: string,
  content: Record<string, unknown>,
  parent: Partial<Header> | null,
  identities: Buffer[] = [],
): Message {
  return {
    identities,
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session: SESSION,
      username: typeof parent?.username === "string" ? parent.username : "kernel",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: parent ?? {},
    metadata: {},
    content,
    buffers: [],
  };
}

/** The reply to a request on a ROUTER socket (shell, control): same peer, `_reply` type. */
export function makeReply(request: Message, content: Record<string, unknown>): Message {
  const type = request.header.msg_type.replace(/_request$/, "_reply");
  return makeMessage(type, content, request.header, request.identities);
}

export function socketAddress(conn: ConnectionInfo, port: number): string {
  const sep = conn.transport === "ipc" ? "-" : ":";
  return `${conn.transport}://${conn.ip}${sep}${port}`;
}
