// The page's side of the Dendrite browser kernel: a JupyterLite kernel (IKernel) that runs
// the kernel in a web worker and relays messages both ways. Interrupts set a flag in shared
// memory (which stops even a loop that never awaits) when the page is cross-origin isolated,
// and always ask the worker to reject the cell's pending await.
import type { KernelMessage } from "@jupyterlab/services";
import type { IKernel } from "@jupyterlite/services";
import { Signal } from "@lumino/signaling";
import type { FromWorker, JupyterMessage, ToWorker } from "../kernel/protocol.js";
import type { PageFiles } from "./files.js";

/** Int32 slots shared with the worker (kernel/interrupt.ts: RUNNING, INTERRUPT). */
const RUNNING = 0;
const INTERRUPT = 1;

export const NOT_ISOLATED_NOTE =
  "[dendrite] This page is not cross-origin isolated (no SharedArrayBuffer), so an interrupt " +
  "stops a cell only where it awaits; a loop that never awaits runs on. Serve the site with " +
  "the COOP/COEP headers (npm run site:serve does) or restart the kernel to stop it.\n";

export interface WorkerKernelOptions extends IKernel.IOptions {
  workerUrl: string;
  siteUrl: string;
  version: string;
  /** Where dl.save / dl.load in the worker read and write. */
  files: PageFiles;
}

export class DendriteWorkerKernel implements IKernel {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly flags: Int32Array | null;
  private readonly sendMessage: IKernel.SendMessage;
  private readonly files: PageFiles;
  /** The execute requests handed to the worker and not yet answered, in order. */
  private executing: JupyterMessage[] = [];
  private readonly disposedSignal = new Signal<this, void>(this);
  private disposedFlag = false;

  constructor(options: WorkerKernelOptions) {
    this.id = options.id;
    this.name = options.name;
    this.location = options.location;
    this.sendMessage = options.sendMessage;
    this.files = options.files;
    const isolated = globalThis.crossOriginIsolated === true;
    this.flags = isolated ? new Int32Array(new SharedArrayBuffer(8)) : null;
    this.worker = new Worker(options.workerUrl, { type: "module", name: `dendrite-${this.id}` });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.addEventListener("message", (e: MessageEvent<FromWorker>) => {
        const m = e.data;
        if (m.type === "ready") resolve();
        else if (m.type === "failed") reject(new Error(`the Dendrite kernel failed: ${m.error}`));
        else this.onWorkerMessage(m);
      });
      this.worker.addEventListener("error", (e) => reject(new Error(e.message)));
    });
    this.post({
      type: "init",
      flags: this.flags ? (this.flags.buffer as SharedArrayBuffer) : null,
      siteUrl: options.siteUrl,
      version: options.version,
    });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private onWorkerMessage(m: FromWorker): void {
    if (m.type === "message") {
      this.sendMessage(m.msg as unknown as KernelMessage.IMessage);
    } else if (m.type === "done") {
      this.executing = this.executing.filter((e) => e.header.msg_id !== m.msgId);
    } else if (m.type === "file") {
      void this.answerFile(m);
    }
  }

  private async answerFile(m: Extract<FromWorker, { type: "file" }>): Promise<void> {
    try {
      if (m.op === "write") {
        await this.files.write(m.path, m.bytes ?? new Uint8Array(0));
        this.post({ type: "file-answer", id: m.id });
      } else {
        const bytes = await this.files.read(m.path);
        const copy = bytes.slice().buffer;
        this.worker.postMessage({ type: "file-answer", id: m.id, bytes: copy } satisfies ToWorker, [
          copy,
        ]);
      }
    } catch (e) {
      this.post({ type: "file-answer", id: m.id, error: (e as Error)?.message ?? String(e) });
    }
  }

  /**
   * Hands the request to the worker and returns at once. JupyterLite passes a kernel one
   * message at a time, the next only once this resolves: waiting here for a cell to end would
   * hold a widget's messages back until then. The worker queues requests itself, as the Node
   * kernel does (kernel/request-queue.ts), and takes widget messages out of turn.
   */
  async handleMessage(msg: KernelMessage.IMessage): Promise<void> {
    await this.ready;
    const message = msg as unknown as JupyterMessage;
    if (msg.header.msg_type === "execute_request") this.executing.push(message);
    this.post({ type: "message", msg: message });
  }

  /** Stops the running cell: see the file comment. */
  interrupt(): void {
    if (this.flags) {
      Atomics.store(this.flags, INTERRUPT, Atomics.load(this.flags, RUNNING));
    } else if (this.executing.length > 0) {
      this.sendMessage(this.noteForRunningCell(NOT_ISOLATED_NOTE));
    }
    this.post({ type: "interrupt" });
  }

  /** The worker answers in order: the first unanswered request is the one running. */
  private noteForRunningCell(text: string): KernelMessage.IMessage {
    const parent = this.executing[0].header;
    return {
      channel: "iopub",
      header: {
        msg_id: crypto.randomUUID(),
        msg_type: "stream",
        session: String(parent.session),
        username: "dendrite",
        date: new Date().toISOString(),
        version: "5.3",
      },
      parent_header: parent,
      metadata: {},
      content: { name: "stderr", text },
    } as unknown as KernelMessage.IMessage;
  }

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  get disposed() {
    return this.disposedSignal;
  }

  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    this.worker.terminate();
    this.executing = [];
    this.disposedSignal.emit();
    Signal.clearData(this);
  }
}
