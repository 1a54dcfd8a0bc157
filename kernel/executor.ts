// Runs cells: tslab's converter type-checks and compiles a cell against the declarations of
// the cells before it; this file runs the result in the kernel's context and reports what
// happened as data (value, diagnostics, mapped stack) instead of printing it as tslab does.
import type { Converter, TslabParts } from "./tslab-types.js";
import { MAPS_MARK } from "./tslab-types.js";
import { ChainedMap, SourceMap } from "./sourcemap.js";
import { diagnosticsError, runtimeError, type ErrorContent } from "./errors.js";
import { INTERRUPT, RUNNING, InterruptError, instrumentLoops, stopCell } from "./interrupt.js";
import { createExports } from "./exports.js";
import { hasTopLevelForAwait } from "./for-await.js";
import { expandShorthandProperties } from "./shorthand.js";
import { decodeBase64Utf8, nextTask } from "./tasks.js";

export type Outcome =
  { status: "ok"; hasValue: boolean; value?: unknown } | ({ status: "error" } & ErrorContent);

/** Runs compiled JavaScript as a script named `filename` (the name stack frames show). */
export type ScriptRunner = (code: string, filename: string) => unknown;

export interface ExecutorOptions {
  tslab: TslabParts;
  /** What `require` means in a cell. */
  require: (id: string) => unknown;
  /** Node runs cells with vm (breakOnSigint); the browser worker with an indirect eval. */
  runScript: ScriptRunner;
  /** Compiled JavaScript of local .ts files a cell imported (Node only). */
  onSideOutputs?: (outs: { path: string; data: string }[]) => void;
  flags: Int32Array;
  /** Declarations every cell sees (the prelude), and the values behind them. */
  preludeDecl: string;
  preludeValues: Record<string, unknown>;
  /** Directories whose stack frames are the kernel's own business. */
  internalDirs: string[];
  /** tslab's compiler options for a browser (DOM libs) rather than Node. */
  isBrowser?: boolean;
  /**
   * Called when a cell ended by an interrupt: the kernels end the library's scopes its code
   * left open (dl.abandonScopes), which a promise that never settles would keep open.
   */
  onInterrupted?: () => void;
}

interface CellInfo {
  label: string;
  map: ChainedMap | null;
}

export class Executor {
  private prevDecl: string;
  private readonly conv: Converter;
  readonly exports: Record<string, unknown>;
  private readonly cells = new Map<string, CellInfo>();
  private seq = 0;
  private rejectRunning: ((e: unknown) => void) | null = null;
  /** Rejects when the running cell is interrupted; set by begin(). */
  private interrupted: Promise<never> | null = null;

  constructor(private readonly opts: ExecutorOptions) {
    this.conv = opts.tslab.createConverter({ isJS: false, isBrowser: opts.isBrowser ?? false });
    this.prevDecl = opts.preludeDecl;
    this.exports = createExports(opts.preludeValues);
    (globalThis as any).__dendrite__ = {
      exports: this.exports,
      require: opts.require,
    };
  }

  /** Interrupts the running cell (or only cell number `cell`): rejects its pending await
   *  and stops its loops. */
  interrupt(cell?: number): boolean {
    const running = Atomics.load(this.opts.flags, RUNNING);
    if (!this.rejectRunning || (cell !== undefined && cell !== running)) return false;
    Atomics.store(this.opts.flags, INTERRUPT, running);
    this.rejectRunning(new InterruptError());
    return true;
  }

  get running(): boolean {
    return this.rejectRunning !== null;
  }

  /** Runs a cell. It counts as running from begin() (called here unless the caller did it
   *  earlier), so an interrupt that comes while the cell is still being compiled stops it
   *  before it starts. */
  async execute(code: string, label: string): Promise<Outcome> {
    const interrupted = this.interrupted ?? this.begin();
    try {
      return await this.compileAndRun(code, label, interrupted);
    } finally {
      // Code of an interrupted cell may still resume after an await: its loops stop there.
      if (this.wasInterrupted()) {
        stopCell(this.seq);
        this.opts.onInterrupted?.();
      }
      this.rejectRunning = null;
      this.interrupted = null;
      Atomics.store(this.opts.flags, RUNNING, 0);
      Atomics.store(this.opts.flags, INTERRUPT, 0);
    }
  }

  /** Marks the next cell as running: from now on an interrupt (signal or interrupt_request)
   *  is meant for it. The caller must follow with execute(). */
  begin(): Promise<never> {
    if (this.interrupted) return this.interrupted;
    const interrupted = new Promise<never>((_, reject) => (this.rejectRunning = reject));
    interrupted.catch(() => undefined);
    this.interrupted = interrupted;
    Atomics.store(this.opts.flags, INTERRUPT, 0);
    Atomics.store(this.opts.flags, RUNNING, ++this.seq);
    return interrupted;
  }

  /** True once an interrupt for the current cell came (either thread sets the flag). */
  private wasInterrupted(): boolean {
    return Atomics.load(this.opts.flags, INTERRUPT) === this.seq;
  }

  private async compileAndRun(
    code: string,
    label: string,
    interrupted: Promise<never>,
  ): Promise<Outcome> {
    const meta = this.opts.tslab.getCodeMetadata(code);
    if (meta.module) {
      const diags = this.conv.addModule(meta.module, code, meta);
      return diags.length ? { status: "error", ...diagnosticsError(diags, code, label) } : ok();
    }
    const source = expandShorthandProperties(this.opts.tslab.ts, code, (n) => n in this.exports);
    const converted = this.conv.convert(this.prevDecl, source);
    if (converted.sideOutputs) this.opts.onSideOutputs?.(converted.sideOutputs);
    if (converted.diagnostics.length > 0) {
      return { status: "error", ...diagnosticsError(converted.diagnostics, code, label) };
    }
    // Let a SIGINT that came during the (synchronous) compilation reach its handler.
    await nextTask();
    if (this.wasInterrupted()) {
      return { status: "error", ...this.describe(new InterruptError()) };
    }
    if (!converted.output) {
      this.prevDecl = converted.declOutput ?? "";
      return ok();
    }
    const topLevelAwait =
      !!converted.hasToplevelAwait || hasTopLevelForAwait(this.opts.tslab.ts, code);
    const outcome = await this.run(converted.output, label, topLevelAwait, interrupted);
    // The cell compiled, so its declarations are sound: keep them even when it threw or was
    // interrupted, so that what it defined before stopping stays usable in later cells.
    this.prevDecl = converted.declOutput ?? "";
    if (outcome.status !== "ok") return outcome;
    const name = converted.lastExpressionVar;
    if (!name || !(name in this.exports)) return ok();
    const value = this.exports[name];
    delete this.exports[name];
    return { status: "ok", hasValue: value !== undefined, value };
  }

  private async run(
    output: string,
    label: string,
    isAsync: boolean,
    interrupted: Promise<never>,
  ): Promise<Outcome> {
    const file = `<cell-${this.seq}>`;
    const { code, map } = splitMaps(output);
    this.cells.set(file, { label, map });
    const body = instrumentLoops(this.opts.tslab.ts, code, this.seq);
    // The wrapper opens on its own line, so cell line N is line N + 1 of the script.
    const wrapped =
      `(${isAsync ? "async " : ""}function (exports, require) {\n${body}\n` +
      `})(__dendrite__.exports, __dendrite__.require)`;
    try {
      const ret = this.opts.runScript(wrapped, file);
      if (isAsync) await Promise.race([ret, interrupted]);
      return ok();
    } catch (err) {
      return { status: "error", ...this.describe(err) };
    }
  }

  /** Evaluates an expression for `user_expressions`, without keeping its declarations. */
  evaluate(expr: string): Outcome {
    const converted = this.conv.convert(this.prevDecl, expr);
    if (converted.diagnostics.length > 0) {
      return { status: "error", ...diagnosticsError(converted.diagnostics, expr, "expression") };
    }
    if (converted.hasToplevelAwait) {
      return { status: "error", ename: "Error", evalue: "await is not allowed", traceback: [] };
    }
    const name = converted.lastExpressionVar;
    try {
      const { code } = splitMaps(converted.output ?? "");
      this.opts.runScript(
        `(function (exports, require) {\n${code}\n})(__dendrite__.exports, __dendrite__.require)`,
        "<expression>",
      );
      const value = name ? this.exports[name] : undefined;
      if (name) delete this.exports[name];
      return { status: "ok", hasValue: true, value };
    } catch (err) {
      return { status: "error", ...this.describe(err) };
    }
  }

  describe(err: unknown): ErrorContent {
    return runtimeError(err, (f, l, c) => this.mapFrame(f, l, c), this.opts.internalDirs);
  }

  /** `<cell-7>:3:10` (script position) → `cell[5]:2:3` (what the user typed). */
  private mapFrame(file: string, line: number, column: number): string | null {
    const cell = this.cells.get(file);
    if (!cell) return null;
    if (!cell.map) return `${cell.label}:${line - 1}:${column}`;
    // Script line 1 is the wrapper; the compiled source starts with tslab's one-line prefix.
    const pos = cell.map.lookup(line - 2, column - 1);
    if (!pos || pos.line < 1) return null;
    return `${cell.label}:${pos.line}:${pos.column + 1}`;
  }

  complete(code: string, pos: number) {
    return this.conv.complete(this.prevDecl, code, pos);
  }

  inspect(code: string, pos: number) {
    return this.conv.inspect(this.prevDecl, code, pos);
  }

  close(): void {
    this.conv.close();
  }
}

function ok(): Outcome {
  return { status: "ok", hasValue: false };
}

function splitMaps(output: string): { code: string; map: ChainedMap | null } {
  const at = output.lastIndexOf(MAPS_MARK);
  if (at < 0) return { code: output, map: null };
  try {
    const b64 = output.slice(at + MAPS_MARK.length).trim();
    const [cjs, esm] = JSON.parse(decodeBase64Utf8(b64)) as string[];
    const map = new ChainedMap([SourceMap.fromJson(cjs), SourceMap.fromJson(esm)]);
    return { code: output.slice(0, at), map };
  } catch {
    return { code: output.slice(0, at), map: null };
  }
}
