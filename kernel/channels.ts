// ZeroMQ sockets as the kernel uses them. zeromq.js allows one send in flight per socket, so
// every socket sends through a queue; zeromq itself is tslab's copy, loaded lazily so that
// importing this file costs nothing.
import { createRequire } from "node:module";
import { join } from "node:path";
import { encode, makeMessage, type Header, type Message } from "./wire.js";

export interface Zmq {
  Router: new () => ZmqSocket;
  Publisher: new () => ZmqSocket;
  Reply: new () => ZmqSocket;
}

export interface ZmqSocket extends AsyncIterable<Buffer[]> {
  bind(address: string): Promise<void>;
  send(frames: Buffer[]): Promise<void>;
  close(): void;
  linger: number;
  sendHighWaterMark: number;
}

/** zeromq as installed with tslab (resolved from tslab's folder, whatever npm hoisted). */
export function loadZmq(tslabDir: string): Zmq {
  return createRequire(join(tslabDir, "dist", "jupyter.js"))("zeromq") as Zmq;
}

export class Sender {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly socket: ZmqSocket,
    private readonly key: string,
    private readonly log: (text: string) => void,
  ) {}

  send(msg: Message): Promise<void> {
    const frames = encode(this.key, msg);
    this.tail = this.tail.then(
      () => this.socket.send(frames),
      () => this.socket.send(frames),
    );
    // A failed send (a closed socket at shutdown) must not reject every later one.
    this.tail = this.tail.catch((e) => this.log(`send failed: ${String(e)}`));
    return this.tail;
  }
}

/** What publishes on iopub: the ZeroMQ socket here, postMessage in the site's worker kernel. */
export interface IopubChannel {
  publish(
    type: string,
    content: Record<string, unknown>,
    parent: Partial<Header> | null,
    buffers?: Uint8Array[],
    metadata?: Record<string, unknown>,
  ): Promise<void>;
  status(state: "busy" | "idle" | "starting", parent: Partial<Header> | null): Promise<void>;
}

/** The broadcast channel: status, streams, displays, results, errors. */
export class Iopub implements IopubChannel {
  constructor(private readonly sender: Sender) {}

  publish(
    type: string,
    content: Record<string, unknown>,
    parent: Partial<Header> | null,
    buffers: Uint8Array[] = [],
    metadata: Record<string, unknown> = {},
  ) {
    // ZeroMQ frames are Buffers; a view shares the bytes, nothing is copied.
    const frames = buffers.map((b) =>
      Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    );
    return this.sender.send({ ...makeMessage(type, content, parent), buffers: frames, metadata });
  }

  status(state: "busy" | "idle" | "starting", parent: Partial<Header> | null) {
    return this.publish("status", { execution_state: state }, parent);
  }
}
