// Turns compile diagnostics and runtime exceptions into Jupyter `error` contents whose
// tracebacks point at cell lines (and library code), never at the kernel's own frames.
import { inspect } from "node:util";
import type { Diagnostic } from "./tslab-types.js";
import { InterruptError } from "./interrupt.js";

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Maps an internal cell file name and 1-based position to a label like `cell[3]:2:5`. */
export type FrameMapper = (file: string, line: number, column: number) => string | null;

/** Frames from these places say nothing about the user's code. */
export function isInternalFrame(frame: string, internalDirs: string[]): boolean {
  if (/\(node:(internal|vm)|at node:(internal|vm)/.test(frame)) return true;
  return internalDirs.some((d) => frame.includes(d));
}

export function diagnosticsError(diags: Diagnostic[], code: string, label: string): ErrorContent {
  const lines = code.split("\n");
  const traceback: string[] = [];
  for (const d of diags) {
    const where = `${d.fileName ?? label}:${d.start.line + 1}:${d.start.character + 1}`;
    traceback.push(`${where} - error TS${d.code}: ${d.messageText}`);
    const src = d.fileName ? undefined : lines[d.start.line];
    if (src !== undefined) {
      const width = d.start.line === d.end.line ? d.end.character - d.start.character : 1;
      traceback.push(`  ${src}`, `  ${" ".repeat(d.start.character)}${"^".repeat(width || 1)}`);
    }
  }
  const first = diags[0];
  const where = `${first.fileName ?? label}:${first.start.line + 1}:${first.start.character + 1}`;
  return { ename: "TSError", evalue: `${where} - ${first.messageText}`, traceback };
}

const CELL_POS = /(<cell-\d+>):(\d+):(\d+)/;

function mapFrames(stack: string, mapper: FrameMapper, internalDirs: string[]): string[] {
  const out: string[] = [];
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    const m = CELL_POS.exec(line);
    if (m) {
      const label = mapper(m[1], Number(m[2]), Number(m[3]));
      // A cell frame without a mapping is the kernel's wrapper around the cell.
      // Functions declared in cells are called through the kernel's exports proxy.
      if (label) out.push(line.replace(CELL_POS, label).replace(/^\s+at Proxy\./, "    at "));
      continue;
    }
    if (!isInternalFrame(line, internalDirs)) out.push(line.replace(/^\s+/, "    "));
  }
  return out;
}

export function runtimeError(
  err: unknown,
  mapper: FrameMapper,
  internalDirs: string[],
): ErrorContent {
  if ((err as { code?: string })?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED") {
    err = new InterruptError();
  }
  if (!(err instanceof Error) && !(err as Error | null)?.stack) {
    // `throw "text"` or `throw {…}`: there is no stack to show, only the value.
    const evalue = typeof err === "string" ? err : inspect(err, { depth: 2 });
    return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  const e = err as Error;
  const ename = e.name || e.constructor?.name || "Error";
  const evalue = String(e.message ?? "");
  const frames = typeof e.stack === "string" ? mapFrames(e.stack, mapper, internalDirs) : [];
  const traceback = [`${ename}: ${evalue}`, ...frames];
  if (e.cause !== undefined) traceback.push(`[cause]: ${inspect(e.cause, { depth: 1 })}`);
  return { ename, evalue, traceback };
}
