// The shell requests' handlers, shared by the Node kernel and the site's worker kernel, and the
// replies other than execute: introspection, completion, history.
import type { CommManager } from "./comms.js";
import type { ExecuteHandler } from "./execute.js";
import type { Executor } from "./executor.js";
import type { History } from "./history.js";
import type { TslabParts } from "./tslab-types.js";
import { isComplete } from "./is-complete.js";
import type { Handler } from "./request-queue.js";

export function kernelInfo(
  version: string,
  tsVersion: string,
  runtime = `Node ${process.version}`,
): Record<string, unknown> {
  return {
    status: "ok",
    protocol_version: "5.3",
    implementation: "dendrite",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: tsVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      // JupyterLab reads `mode`; the classic notebook needs name + typescript.
      codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `Dendrite ${version}: TypeScript ${tsVersion} on ${runtime}; \`dl\` is the library`,
    help_links: [],
    debugger: false,
  };
}

// Jupyter counts cursor positions in Unicode code points, JavaScript strings in UTF-16 units.
function toUtf16(code: string, cp: number): number {
  let units = 0;
  let seen = 0;
  for (const ch of code) {
    if (seen++ >= cp) break;
    units += ch.length;
  }
  return units;
}

function toCodePoints(code: string, units: number): number {
  return [...code.slice(0, units)].length;
}

export function complete(exec: Executor, content: Record<string, any>): Record<string, unknown> {
  const code = String(content.code ?? "");
  const pos = toUtf16(code, Number(content.cursor_pos ?? code.length));
  const info = exec.complete(code, pos);
  const kinds = new Map((info.original?.entries ?? []).map((e) => [e.name, e.kind] as const));
  const start = toCodePoints(code, info.start);
  const end = toCodePoints(code, info.end);
  const types = info.candidates.map((text) => ({ start, end, text, type: kinds.get(text) ?? "" }));
  return {
    status: "ok",
    matches: info.candidates,
    cursor_start: start,
    cursor_end: end,
    metadata: { _jupyter_types_experimental: types },
  };
}

export function inspectReply(
  exec: Executor,
  tslab: TslabParts,
  content: Record<string, any>,
): Record<string, unknown> {
  const code = String(content.code ?? "");
  const pos = toUtf16(code, Number(content.cursor_pos ?? code.length));
  const info = exec.inspect(code, pos);
  if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
  return {
    status: "ok",
    found: true,
    data: { "text/plain": tslab.printQuickInfo(info) },
    metadata: {},
  };
}

export function isCompleteReply(tslab: TslabParts, content: Record<string, any>) {
  return isComplete(tslab.ts, String(content.code ?? ""));
}

export function historyReply(history: History, content: Record<string, any>) {
  return { status: "ok", history: history.query(content) };
}

/** What the shell requests act on: the parts both kernels (Node and the site's worker) build. */
export interface KernelParts {
  executor: ExecuteHandler;
  exec: Executor;
  tslab: TslabParts;
  history: History;
  comms: CommManager;
  info: Record<string, unknown>;
}

/** The shell's handler per request type; `shutdown` is each kernel's own way to stop. */
export function requestHandlers(p: KernelParts, shutdown: Handler): Map<string, Handler> {
  const { exec, tslab, comms } = p;
  return new Map<string, Handler>([
    ["execute_request", (m) => p.executor.handle(m)],
    ["kernel_info_request", async () => p.info],
    ["complete_request", async (m) => complete(exec, m.content)],
    ["inspect_request", async (m) => inspectReply(exec, tslab, m.content)],
    ["is_complete_request", async (m) => isCompleteReply(tslab, m.content)],
    ["history_request", async (m) => historyReply(p.history, m.content)],
    ["comm_info_request", async (m) => comms.info(m.content)],
    ["comm_open", async (m) => (comms.handleOpen(m), null)],
    ["comm_msg", async (m) => (comms.handleMessage(m), null)],
    ["comm_close", async (m) => (comms.handleClose(m), null)],
    ["shutdown_request", shutdown],
  ]);
}
