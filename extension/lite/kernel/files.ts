// The worker's side of dl.save / dl.load: the library's host files (src/platform/files.ts),
// answered by the page (app/files.ts: the lab's file browser) over postMessage. A cell that
// awaits a save or load lets the worker take the answer in; nothing blocks.
import type { HostFiles } from "../../../src/platform/files.js";
import type { FromWorker, ToWorker } from "./protocol.js";

type Answer = Extract<ToWorker, { type: "file-answer" }>;

export class PageFileClient implements HostFiles {
  private nextId = 0;
  private readonly waiting = new Map<number, (a: Answer) => void>();

  constructor(private readonly post: (m: FromWorker) => void) {}

  private ask(request: { op: "read" | "write"; path: string; bytes?: Uint8Array }) {
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      this.waiting.set(id, (a) =>
        a.error === undefined ? resolve(a) : reject(new Error(a.error)),
      );
      this.post({ type: "file", id, ...request });
    });
  }

  async readFile(path: string): Promise<Uint8Array> {
    const answer = await this.ask({ op: "read", path });
    return new Uint8Array(answer.bytes ?? new ArrayBuffer(0));
  }

  async writeFile(path: string, bytes: Uint8Array): Promise<void> {
    await this.ask({ op: "write", path, bytes });
  }

  /** The page's answer to a request. */
  answer(a: Answer): void {
    this.waiting.get(a.id)?.(a);
    this.waiting.delete(a.id);
  }
}
