// The Dendrite kernel in the page's web worker. It is the Node kernel's core (kernel/: the
// executor on tslab's compiler, execute handling, display bundles, error reports, interrupt
// ticks, history) with browser parts around it: TypeScript over a virtual file system, a
// console that prints like Node's, cells run by indirect eval, and messages over postMessage
// instead of ZeroMQ. The page (kernel.ts) forwards every request here and relays what comes back.
import * as lib from "../../../src/index.js";
import { setDisplayPublisher } from "../../../src/display/publish.js";
import { installComms } from "../../../kernel/comms.js";
import type { IopubChannel } from "../../../kernel/channels.js";
import { createDisplayApi, DISPLAY_DECL } from "../../../kernel/display.js";
import { ExecuteHandler } from "../../../kernel/execute.js";
import { Executor } from "../../../kernel/executor.js";
import * as h from "../../../kernel/handlers.js";
import { History } from "../../../kernel/history.js";
import { endScopes, installTick } from "../../../kernel/interrupt.js";
import { Output } from "../../../kernel/output.js";
import { RequestQueue } from "../../../kernel/request-queue.js";
import type { Message } from "../../../kernel/wire.js";
import { setHostFiles } from "../../../src/platform/files.js";
import { captureConsole } from "./console.js";
import { PageFileClient } from "./files.js";
import { makeMessage, replyType } from "./messages.js";
import type { FromWorker, JupyterMessage, ToWorker } from "./protocol.js";
import { loadTslabInBrowser } from "./tslab-browser.js";
import { VirtualFiles } from "./vfs.js";

const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);
/** The browser's console for the kernel's own log (cells' console output goes to the cell). */
const log = console.warn.bind(console, "[dendrite kernel]");
const send = (msg: JupyterMessage) => post({ type: "message", msg });
/** dl.save / dl.load go to the lab's files, through the page. */
const pageFiles = new PageFileClient(post);

const iopub: IopubChannel = {
  publish: async (type, content, parent, buffers = [], metadata = {}) =>
    send({
      ...makeMessage("iopub", type, content, parent as Record<string, unknown> | null),
      buffers,
      metadata,
    }),
  status: async (state, parent) =>
    send(makeMessage("iopub", "status", { execution_state: state }, parent as never)),
};

/** The namespace flagged `__esModule`, so `import * as x from "dendrite"` in a cell is `dl`. */
function asCommonJs(ns: object): object {
  return new Proxy(ns, {
    get: (target, key) => (key === "__esModule" ? true : Reflect.get(target, key)),
  });
}

/** Runs compiled cell code in the worker's global scope; the name shows in stack frames. */
function runScript(code: string, filename: string): unknown {
  return (0, eval)(`${code}\n//# sourceURL=${filename}`);
}

async function fetchDeclarations(siteUrl: string): Promise<Record<string, string>> {
  const url = new URL("lab/kernel/types.json", siteUrl);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`fetching ${url} failed: HTTP ${res.status}`);
  return (await res.json()) as Record<string, string>;
}

/**
 * Node's setImmediate, which notebooks use for a task turn (to let a plot redraw and finalizers
 * run inside a long loop). A MessageChannel message is a task, as setImmediate's callback is.
 */
function installSetImmediate(): void {
  const g = globalThis as { setImmediate?: unknown };
  if (g.setImmediate) return;
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => queue.shift()?.();
  g.setImmediate = (cb: (...a: unknown[]) => void, ...args: unknown[]) => {
    queue.push(() => cb(...args));
    channel.port2.postMessage(null);
  };
}

/** What the cells see of it (the worker's DOM declarations have no setImmediate). */
const SET_IMMEDIATE_DECL =
  "declare function setImmediate(callback: (...args: any[]) => void, ...args: any[]): void;\n";

async function start(init: Extract<ToWorker, { type: "init" }>) {
  installSetImmediate();
  const flags = new Int32Array(init.flags ?? new ArrayBuffer(8));
  installTick(flags);
  const output = new Output(iopub);
  captureConsole(output);
  const api = createDisplayApi(output, (err) => output.stream("stderr", `${String(err)}\n`));
  setDisplayPublisher(api.publisher);
  // Built-in datasets are static files of the site (see the site build), never the network.
  lib.data.setPackageBaseUrl(new URL("data/", init.siteUrl).href);
  setHostFiles(pageFiles);
  const tslab = await loadTslabInBrowser(new VirtualFiles(await fetchDeclarations(init.siteUrl)));
  const dl = asCommonJs(lib);
  const builtins = new Map<string, unknown>([["dendrite", dl]]);
  const exec = new Executor({
    tslab,
    require: (id) => {
      if (builtins.has(id)) return builtins.get(id);
      throw new Error(
        `Cannot find module '${id}': the browser kernel has only "dendrite" ` +
          "(npm packages and local files need the Node kernel)",
      );
    },
    runScript,
    flags,
    onInterrupted: () => endScopes(dl),
    preludeDecl: `import * as dl from "dendrite";\n${DISPLAY_DECL}${SET_IMMEDIATE_DECL}`,
    // Names declared in the prelude are read from the exports object, setImmediate too.
    preludeValues: {
      dl,
      display: api.display,
      clearOutput: api.clearOutput,
      setImmediate: (globalThis as { setImmediate?: unknown }).setImmediate,
    },
    // The worker bundle itself, and the eval that runs a cell (the frame below the cell's own).
    internalDirs: ["/lab/kernel/", "at eval (<anonymous>)"],
    isBrowser: true,
  });
  exec.complete("dl.", 3); // loads the declarations now rather than in the first cell
  const info = h.kernelInfo(init.version, tslab.ts.version, "a web worker");
  const comms = installComms(iopub, output, (err) => exec.describe(err).traceback);
  const history = new History();
  const executor = new ExecuteHandler(exec, output, iopub, history);
  self.addEventListener("unhandledrejection", (e) => {
    output.stream(
      "stderr",
      `Unhandled promise rejection: ${exec.describe(e.reason).traceback.join("\n")}\n`,
    );
    e.preventDefault();
  });
  const handlers = h.requestHandlers(
    { executor, exec, tslab, history, comms, info },
    async (m) => ({
      status: "ok",
      restart: m.content.restart === true,
    }),
  );
  // The Node kernel's request handling: one request at a time, aborts after a failure, and
  // widget (comm) messages out of turn, so they reach a cell that is still running.
  const reply = async (msg: Message, content: Record<string, unknown>) => {
    const channel = (msg as unknown as JupyterMessage).channel;
    send(makeMessage(channel, replyType(msg.header.msg_type), content, msg.header));
  };
  const done = (msg: Message) => post({ type: "done", msgId: msg.header.msg_id });
  const requests = new RequestQueue(reply, iopub, handlers, log, undefined, done);
  return { exec, requests };
}

type Kernel = Awaited<ReturnType<typeof start>>;

/** The Node kernel's message shape; binary buffers arrive as ArrayBuffers or views. */
function asKernelMessage(m: JupyterMessage): Message {
  const buffers = (m.buffers ?? []).map((b) =>
    b instanceof ArrayBuffer
      ? new Uint8Array(b)
      : new Uint8Array(
          (b as ArrayBufferView).buffer,
          (b as ArrayBufferView).byteOffset,
          (b as ArrayBufferView).byteLength,
        ),
  );
  return { ...m, identities: [], buffers } as unknown as Message;
}

let kernel: Promise<Kernel> | null = null;

self.addEventListener("message", (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  if (m.type === "init") {
    kernel = start(m);
    kernel.then(
      () => post({ type: "ready" }),
      (err: unknown) => post({ type: "failed", error: String((err as Error)?.stack ?? err) }),
    );
  } else if (m.type === "file-answer") {
    // Taken in at once, not queued: the cell waiting for it holds the queue.
    pageFiles.answer(m);
  } else if (m.type === "interrupt") {
    // Stops a cell waiting at an await; a busy loop is stopped by the shared flag instead.
    void kernel?.then((k) => k.exec.interrupt());
  } else if (m.type === "message" && kernel) {
    // In arrival order: callbacks on one promise run in the order they were added.
    void kernel.then((k) => k.requests.receive(asKernelMessage(m.msg)));
  }
});
