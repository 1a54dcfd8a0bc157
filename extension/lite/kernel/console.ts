// The worker's console writes to the running cell's stdout/stderr, formatted the way Node's
// console formats (the Node kernel captures Node's console), so a notebook prints the same
// text in the tab as on the desktop. The browser's devtools console still gets a copy of
// warnings and errors.
import type { Output } from "../../../kernel/output.js";
import { format, inspect } from "./node-util.js";

type Row = Record<string, unknown>;

/** Node 20's console.table: box-drawn, cells centred, values inspected. */
export function formatTable(data: unknown, columns?: string[]): string {
  if (data === null || typeof data !== "object") return format(data);
  const rows = Object.entries(data as Record<string, unknown>);
  const keys: string[] = columns ? [...columns] : [];
  let hasValues = false;
  if (!columns)
    for (const [, row] of rows) {
      if (row !== null && typeof row === "object") {
        for (const k of Object.keys(row as Row)) if (!keys.includes(k)) keys.push(k);
      } else hasValues = true;
    }
  const header = ["(index)", ...keys, ...(hasValues ? ["Values"] : [])];
  const cell = (v: unknown) => (v === undefined ? "" : inspect(v, { depth: 1 }));
  const body = rows.map(([index, row]) => {
    const isObj = row !== null && typeof row === "object";
    const values = keys.map((k) => (isObj ? cell((row as Row)[k]) : ""));
    return [index, ...values, ...(hasValues ? [isObj ? "" : cell(row)] : [])];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)) + 2);
  const line = (l: string, m: string, r: string) =>
    l + widths.map((w) => "─".repeat(w)).join(m) + r;
  const render = (cells: string[]) =>
    "│" +
    cells
      .map((c, i) => {
        const pad = (widths[i] - c.length) / 2;
        return " ".repeat(Math.floor(pad)) + c + " ".repeat(Math.ceil(pad));
      })
      .join("│") +
    "│";
  return [
    line("┌", "┬", "┐"),
    render(header),
    line("├", "┼", "┤"),
    ...body.map(render),
    line("└", "┴", "┘"),
  ].join("\n");
}

export function captureConsole(output: Output): void {
  const original = globalThis.console;
  const out = (...args: unknown[]) => output.stream("stdout", `${format(...args)}\n`);
  const err = (...args: unknown[]) => output.stream("stderr", `${format(...args)}\n`);
  const counts = new Map<string, number>();
  const timers = new Map<string, number>();
  const replacement: Partial<Console> = {
    log: out,
    info: out,
    debug: out,
    warn: (...args) => {
      err(...args);
      original.warn(...args);
    },
    error: (...args) => {
      err(...args);
      original.error(...args);
    },
    trace: (...args) => err(`Trace: ${format(...args)}\n${new Error().stack ?? ""}`),
    dir: (v: unknown) => out(inspect(v)),
    table: (data: unknown, columns?: string[]) => out(formatTable(data, columns)),
    assert: (cond?: boolean, ...args: unknown[]) => {
      if (!cond) err(`Assertion failed${args.length ? `: ${format(...args)}` : ""}`);
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      out(`${label}: ${n}`);
    },
    countReset: (label = "default") => void counts.delete(label),
    time: (label = "default") => void timers.set(label, performance.now()),
    timeLog: (label = "default", ...args: unknown[]) => {
      const start = timers.get(label);
      if (start !== undefined)
        out(`${label}: ${(performance.now() - start).toFixed(3)}ms`, ...args);
    },
    timeEnd: (label = "default") => {
      const start = timers.get(label);
      timers.delete(label);
      if (start !== undefined) out(`${label}: ${(performance.now() - start).toFixed(3)}ms`);
    },
  };
  globalThis.console = Object.assign(Object.create(original) as Console, replacement);
}
