// An in-memory comm transport standing in for the kernel: it records what widgets send and
// lets a test play the front end's part (updates, clicks, state requests).
import type { Comm, CommData, CommOpenHandler, CommTransport } from "../../src/widgets/index.js";

export interface Sent {
  data: CommData;
  buffers: number;
}

export class FakeComm implements Comm {
  readonly sent: Sent[] = [];
  closed = false;
  private readonly handlers: ((data: CommData, buffers: Uint8Array[]) => void)[] = [];
  private readonly closers: ((data: CommData) => void)[] = [];

  constructor(
    readonly id: string,
    readonly target: string,
    readonly opened: CommData,
  ) {}

  send(data: CommData, buffers?: readonly unknown[]): void {
    // Deep copy, as the wire would: later state changes must not alter what was sent.
    this.sent.push({ data: JSON.parse(JSON.stringify(data)), buffers: buffers?.length ?? 0 });
  }

  close(): void {
    this.closed = true;
  }

  onMessage(h: (data: CommData, buffers: Uint8Array[]) => void): void {
    this.handlers.push(h);
  }

  onClose(h: (data: CommData) => void): void {
    this.closers.push(h);
  }

  /** The front end sends `data` on this comm. */
  deliver(data: CommData): void {
    for (const h of this.handlers) h(data, []);
  }

  /** The front end closes the comm. */
  closeFromFrontEnd(): void {
    this.closed = true;
    for (const h of this.closers) h({});
  }

  /** The state of every `update` the kernel sent, in order. */
  updates(): Record<string, unknown>[] {
    return this.sent.filter((s) => s.data.method === "update").map((s) => s.data.state as never);
  }
}

export class FakeTransport implements CommTransport {
  readonly comms = new Map<string, FakeComm>();
  readonly targets = new Map<string, CommOpenHandler>();

  open(target: string, data: CommData, opts: { id?: string } = {}): Comm {
    const comm = new FakeComm(
      opts.id ?? String(this.comms.size),
      target,
      JSON.parse(JSON.stringify(data)),
    );
    this.comms.set(comm.id, comm);
    return comm;
  }

  registerTarget(target: string, handler: CommOpenHandler): void {
    this.targets.set(target, handler);
  }

  comm(id: string): FakeComm {
    const c = this.comms.get(id);
    if (!c) throw new Error(`no comm ${id}`);
    return c;
  }
}
