// Jupyter comms (messaging spec "Custom messages"): channels between kernel-side objects and
// front-end ones, opened from either side, each with a target name. This file keeps the
// open comms and the registered targets, turns shell messages into calls, and publishes the
// kernel's side on iopub. It implements the library's `CommTransport`, so `dl.widgets` talks
// to the front end through it without knowing anything about the kernel.
import type { IopubChannel } from "./channels.js";
import type { Header, Message } from "./wire.js";
import {
  setCommTransport,
  type Comm,
  type CommData,
  type CommTransport,
  type CommBuffers,
  type CommOpenHandler,
} from "../src/widgets/transport.js";

type Parent = () => Partial<Header> | null;
type MessageHandler = (data: CommData, buffers: Uint8Array[]) => void;
type CloseHandler = (data: CommData) => void;

function toBuffers(buffers: CommBuffers | undefined): Uint8Array[] {
  return (buffers ?? []).map((b) =>
    b instanceof ArrayBuffer
      ? new Uint8Array(b)
      : new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
  );
}

function asData(value: unknown): CommData {
  return value && typeof value === "object" ? (value as CommData) : {};
}

class KernelComm implements Comm {
  private readonly messageHandlers: MessageHandler[] = [];
  private readonly closeHandlers: CloseHandler[] = [];
  closed = false;

  constructor(
    readonly id: string,
    readonly target: string,
    private readonly manager: CommManager,
  ) {}

  send(data: CommData, buffers?: CommBuffers): void {
    if (this.closed) return;
    this.manager.publish("comm_msg", { comm_id: this.id, data }, buffers);
  }

  close(data: CommData = {}): void {
    if (this.closed) return;
    this.closed = true;
    this.manager.forget(this.id);
    this.manager.publish("comm_close", { comm_id: this.id, data });
    this.notifyClose(data);
  }

  onMessage(handler: MessageHandler): void {
    this.messageHandlers.push(handler);
  }

  onClose(handler: CloseHandler): void {
    this.closeHandlers.push(handler);
  }

  receive(data: CommData, buffers: Uint8Array[]): void {
    for (const h of this.messageHandlers) this.manager.guard(() => h(data, buffers));
  }

  notifyClose(data: CommData): void {
    for (const h of this.closeHandlers) this.manager.guard(() => h(data));
  }
}

export class CommManager implements CommTransport {
  private readonly comms = new Map<string, KernelComm>();
  private readonly targets = new Map<string, CommOpenHandler>();

  /**
   * @param parent the header outgoing messages answer (the current request)
   * @param report shows an error thrown by a handler (in the current cell's stderr)
   */
  constructor(
    private readonly iopub: IopubChannel,
    private readonly parent: Parent,
    private readonly report: (err: unknown) => void,
  ) {}

  // --- the library's side (CommTransport) ------------------------------------------

  open(target: string, data: CommData, opts: { id?: string; buffers?: CommBuffers } = {}): Comm {
    const comm = new KernelComm(opts.id ?? crypto.randomUUID(), target, this);
    this.comms.set(comm.id, comm);
    const content = { comm_id: comm.id, target_name: target, data };
    this.publish("comm_open", content, opts.buffers, { version: "2.1.0" });
    return comm;
  }

  registerTarget(target: string, handler: CommOpenHandler): void {
    this.targets.set(target, handler);
  }

  // --- the front end's side (shell messages) ----------------------------------------

  /** comm_open from the front end: a target handler takes the comm, or it is closed again. */
  handleOpen(msg: Message): void {
    const id = msg.content.comm_id;
    const target = String(msg.content.target_name ?? "");
    if (typeof id !== "string") return;
    const handler = this.targets.get(target);
    if (!handler) {
      const data = { error: `no comm target ${JSON.stringify(target)} in this kernel` };
      void this.iopub.publish("comm_close", { comm_id: id, data }, msg.header);
      return;
    }
    const comm = new KernelComm(id, target, this);
    this.comms.set(id, comm);
    this.guard(() => handler(comm, asData(msg.content.data), msg.buffers));
  }

  handleMessage(msg: Message): void {
    const comm = this.comms.get(String(msg.content.comm_id));
    comm?.receive(asData(msg.content.data), msg.buffers);
  }

  handleClose(msg: Message): void {
    const id = String(msg.content.comm_id);
    const comm = this.comms.get(id);
    if (!comm) return;
    comm.closed = true;
    this.comms.delete(id);
    comm.notifyClose(asData(msg.content.data));
  }

  /** The open comms, all or those of one target (comm_info_request). */
  info(content: Record<string, unknown>): Record<string, unknown> {
    const want = typeof content.target_name === "string" ? content.target_name : null;
    const comms: Record<string, { target_name: string }> = {};
    for (const c of this.comms.values())
      if (want === null || c.target === want) comms[c.id] = { target_name: c.target };
    return { status: "ok", comms };
  }

  // --- shared -----------------------------------------------------------------------

  publish(
    type: string,
    content: Record<string, unknown>,
    buffers?: CommBuffers,
    metadata?: Record<string, unknown>,
  ): void {
    void this.iopub.publish(type, content, this.parent(), toBuffers(buffers), metadata);
  }

  forget(id: string): void {
    this.comms.delete(id);
  }

  /** A handler's error is the user's: show it, keep the kernel and the comm alive. */
  guard(fn: () => unknown): void {
    try {
      const r = fn();
      if (r instanceof Promise) r.catch(this.report);
    } catch (err) {
      this.report(err);
    }
  }
}

/** What comms need of the kernel's output: the request being answered, and stderr. */
interface CellOutput {
  readonly currentParent: Partial<Header> | null;
  stream(name: "stderr", text: string): void;
}

/**
 * The kernel's comms, installed as the library's widget transport (both kernels, Node and the
 * site's worker, wire them alike). A handler that throws is reported in the running cell's
 * stderr with `traceback`'s rendering of the error.
 */
export function installComms(
  iopub: IopubChannel,
  output: CellOutput,
  traceback: (err: unknown) => string[],
): CommManager {
  const comms = new CommManager(
    iopub,
    () => output.currentParent,
    (err) => output.stream("stderr", `Error in a widget callback: ${traceback(err).join("\n")}\n`),
  );
  setCommTransport(comms);
  return comms;
}
