// Starts the kernel: binds the sockets, starts the control worker, loads the library and
// installs the prelude, then serves the shell channel until shutdown.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";
import { Worker } from "node:worker_threads";
import { setDisplayPublisher } from "../src/display/publish.js";
import { installComms } from "./comms.js";
import { Iopub, loadZmq, Sender } from "./channels.js";
import { createDisplayApi, DISPLAY_DECL } from "./display.js";
import { ExecuteHandler } from "./execute.js";
import { Executor } from "./executor.js";
import * as h from "./handlers.js";
import { History } from "./history.js";
import { createFlags, endScopes, installTick } from "./interrupt.js";
import { createModuleHost, makeRequire, updateSideOutputs } from "./modules.js";
import { Output } from "./output.js";
import { Shell } from "./shell.js";
import { captureStreams, realStderr } from "./streams.js";
import { kernelRequire, loadTslab, packageRoot, tslabDir } from "./tslab.js";
import { socketAddress, type ConnectionInfo } from "./wire.js";

const log = (text: string) => realStderr(`[dendrite] ${text}\n`);

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8"));
  return String(pkg.version);
}

/** The library, loaded once; a failure is reported in the first cell, not fatal. */
async function loadLibrary(): Promise<{ ns: unknown; error: string | null }> {
  try {
    return { ns: asCommonJs(await import("../src/index.js")), error: null };
  } catch (err) {
    return {
      ns: undefined,
      error: `dendrite could not be loaded: ${(err as Error)?.stack ?? err}\n`,
    };
  }
}

interface ControlEvents {
  onShutdown(): void;
  onInterrupt(cell: number): void;
}

/**
 * The namespace flagged `__esModule`, so that the `__importStar` of a cell's compiled
 * `import * as x from "dendrite"` returns it as is and `x === dl`.
 */
function asCommonJs(ns: object): object {
  return new Proxy(ns, {
    get: (target, key) => (key === "__esModule" ? true : Reflect.get(target, key)),
  });
}

function startControl(data: Record<string, unknown>, on: ControlEvents): Promise<Worker> {
  const worker = new Worker(new URL("./control.js", import.meta.url), { workerData: data });
  return new Promise((resolve, reject) => {
    worker.on("message", (m: { type: string; error?: string; cell?: number }) => {
      if (m.type === "ready") resolve(worker);
      else if (m.type === "shutdown") on.onShutdown();
      else if (m.type === "interrupt") on.onInterrupt(m.cell ?? 0);
      else if (m.type === "failed") reject(new Error(m.error));
    });
    worker.on("error", reject);
  });
}

export async function startKernel(connectionFile: string): Promise<void> {
  const conn = JSON.parse(readFileSync(connectionFile, "utf8")) as ConnectionInfo;
  Error.stackTraceLimit = 30;
  const tslab = loadTslab();
  const version = packageVersion();
  const info = h.kernelInfo(version, tslab.ts.version);
  const zmq = loadZmq(tslabDir);
  const [iopubSock, shellSock, stdinSock] = [
    new zmq.Publisher(),
    new zmq.Router(),
    new zmq.Router(),
  ];
  await iopubSock.bind(socketAddress(conn, conn.iopub_port));
  await shellSock.bind(socketAddress(conn, conn.shell_port));
  await stdinSock.bind(socketAddress(conn, conn.stdin_port));

  const flags = createFlags();
  installTick(flags);
  const iopub = new Iopub(new Sender(iopubSock, conn.key, log));
  const shellSender = new Sender(shellSock, conn.key, log);
  let worker: Worker | null = null;
  const shutdown = async (restart = false) => {
    log(`shutting down${restart ? " for a restart" : ""}`);
    await iopub.status("idle", null);
    // zeromq aborts the process when it exits with sockets open: close them all first.
    if (worker) {
      const exited = new Promise((r) => worker?.once("exit", r));
      worker.postMessage({ type: "close" });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    }
    for (const s of [iopubSock, shellSock, stdinSock]) s.close();
    process.exit(0);
  };
  let onInterrupt = (_cell: number) => {};
  worker = await startControl(
    { conn, flags, info, tslabDir },
    { onShutdown: () => void shutdown(), onInterrupt: (cell) => onInterrupt(cell) },
  );

  const output = new Output(iopub);
  captureStreams(output);
  const api = createDisplayApi(output, (err) => output.stream("stderr", `${String(err)}\n`));
  setDisplayPublisher(api.publisher);
  tslab.jupyter.lastWriteDisplayData = api.tslabWriter;
  const comms = installComms(iopub, output, (err) => exec.describe(err).traceback);

  const lib = await loadLibrary();
  const host = createModuleHost(kernelRequire);
  host.builtins.set("dendrite", lib.ns);
  const dl = lib.ns;
  host.builtins.set("tslab", tslab.publicApi);
  const exec = new Executor({
    tslab,
    require: makeRequire(host, process.cwd()),
    // breakOnSigint: SIGINT throws inside a synchronous cell (see interrupt.ts).
    runScript: (code, filename) => vm.runInThisContext(code, { filename, breakOnSigint: true }),
    onSideOutputs: (outs) => updateSideOutputs(host, outs),
    flags,
    onInterrupted: () => endScopes(dl),
    preludeDecl: `import * as dl from "dendrite";\n${DISPLAY_DECL}`,
    preludeValues: { dl, display: api.display, clearOutput: api.clearOutput },
    internalDirs: [join(packageRoot, "dist", "kernel"), tslabDir],
  });
  // Compile an empty cell now, so the first real cell does not pay for loading the types.
  exec.complete("dl.", 3);

  const history = new History();
  const executor = new ExecuteHandler(exec, output, iopub, history);
  executor.pendingNotice = lib.error;
  process.on("SIGINT", () => exec.interrupt());
  onInterrupt = (cell) => exec.interrupt(cell);
  installSafetyNets(exec, output);

  const handlers = h.requestHandlers({ executor, exec, tslab, history, comms, info }, async (m) => {
    // Exit once the reply has had time to leave the socket.
    setTimeout(() => void shutdown(m.content.restart === true), 100);
    return { status: "ok", restart: m.content.restart === true };
  });
  const shell = new Shell(shellSender, iopub, handlers, log);
  await iopub.status("starting", null);
  log(`kernel ${version} started (pid ${process.pid}, cwd ${process.cwd()})`);
  await shell.listen(shellSock, conn.key);
}

/** Errors nobody awaited are shown in the current cell's stderr; the kernel lives on. */
function installSafetyNets(exec: Executor, output: Output): void {
  const report = (kind: string) => (err: unknown) => {
    const { traceback } = exec.describe(err);
    output.stream("stderr", `${kind}: ${traceback.join("\n")}\n`);
  };
  process.on("uncaughtException", report("Uncaught exception"));
  process.on("unhandledRejection", report("Unhandled promise rejection"));
}
