// Interrupts that work wherever a cell is stuck. Three cases, three mechanisms:
// - synchronous code: the cell runs under vm's breakOnSigint, so SIGINT throws inside it;
// - a pending await: the executor races the cell against a promise that SIGINT rejects;
// - a busy loop after an await (outside vm, no JavaScript handler can run): every loop in a
//   cell calls a tick that throws once a flag in shared memory is set. The control worker
//   sets that flag from its own thread, so interrupt_request reaches even this case.
// An interrupt_request names the cell it was meant for (the number in RUNNING when it came),
// so one that is handled late never stops the next cell. The worker sends no signal: a
// SIGINT that lands as vm's watchdog stops was seen to hit a later cell.
import type * as Ts from "@tslab/typescript-for-tslab";

/** Int32 slots of the shared flags: the running cell's number (0 when idle) and the number
 *  of the cell an interrupt is meant for (0 when none). */
export const RUNNING = 0;
export const INTERRUPT = 1;

export function createFlags(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
}

export class InterruptError extends Error {
  constructor() {
    super("interrupted by the user");
    this.name = "InterruptError";
  }
}

/** The global function that instrumented loops call on every iteration. */
export const TICK = "__dendrite_tick__";

/**
 * Cells that ended by an interrupt. An interrupt ends a cell waiting at an await at once, but its
 * code goes on when that await resolves (a GPU read, a timer), after the flags were reset for the
 * next cell; its loops must stop there too, or they would go on in the background — inside the
 * dl.noGrad / dl.tidy scopes they had opened, which would then cover the next cells.
 */
const interruptedCells = new Set<number>();

/** Marks `cell` as interrupted: its loops throw at their next iteration from now on. */
export function stopCell(cell: number): void {
  interruptedCells.add(cell);
}

export function installTick(flags: Int32Array): void {
  (globalThis as any)[TICK] = (cell?: number) => {
    if (cell !== undefined && interruptedCells.has(cell)) throw new InterruptError();
    // The flag stays set until the cell ends, so a loop that catches the error and goes on
    // is stopped again at its next iteration.
    const target = Atomics.load(flags, INTERRUPT);
    if (target !== 0 && target === Atomics.load(flags, RUNNING)) throw new InterruptError();
  };
}

interface Edit {
  pos: number;
  text: string;
}

/**
 * Inserts a tick at the start of every loop body of compiled cell code. Insertions never add
 * a line break, so the source maps still hold line for line.
 */
export function instrumentLoops(ts: typeof Ts, code: string, cell?: number): string {
  const sf = ts.createSourceFile("cell.js", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const call = `${TICK}(${cell ?? ""});`;
  const edits: Edit[] = [];
  const visit = (node: Ts.Node): void => {
    if (ts.isIterationStatement(node, false)) {
      const body = node.statement;
      if (ts.isBlock(body)) {
        edits.push({ pos: body.getStart(sf) + 1, text: call });
      } else {
        edits.push({ pos: body.getStart(sf), text: `{${call}` });
        edits.push({ pos: body.getEnd(), text: "}" });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  edits.sort((a, b) => b.pos - a.pos);
  let out = code;
  for (const e of edits) out = out.slice(0, e.pos) + e.text + out.slice(e.pos);
  return out;
}

/**
 * Ends the library scopes an interrupted cell left open (the Executor's onInterrupted): a
 * dl.tidy or dl.noGrad waiting on a promise that never settles would otherwise cover every
 * later cell. A stand-in library (one that failed to load) has none to end.
 */
export function endScopes(dl: unknown): void {
  (dl as { abandonScopes?: () => number }).abandonScopes?.();
}
