// The input history of this kernel session, for `history_request` (console up-arrow, %history
// style front ends). Kept in memory: a restarted kernel starts a new session, as in IPython.

interface Entry {
  line: number;
  input: string;
  output: string | null;
}

type HistoryItem = [number, number, string | [string, string | null]];

export interface HistoryRequest {
  output?: boolean;
  hist_access_type?: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

/** This process's session number: sessions before it are not kept. */
export const SESSION = 1;
const MAX_ENTRIES = 10_000;

/** IPython's glob patterns: `*` any run, `?` one character, the whole input must match. */
function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) =>
      c === "*" ? "[\\s\\S]*" : c === "?" ? "[\\s\\S]" : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${body}$`);
}

export class History {
  private readonly entries: Entry[] = [];

  add(line: number, input: string): void {
    this.entries.push({ line, input, output: null });
    if (this.entries.length > MAX_ENTRIES) this.entries.shift();
  }

  /** Records the text/plain result of the cell with this execution count. */
  setOutput(line: number, text: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i].line !== line) continue;
      this.entries[i].output = text;
      return;
    }
  }

  query(req: HistoryRequest): HistoryItem[] {
    const item = (e: Entry): HistoryItem =>
      req.output ? [SESSION, e.line, [e.input, e.output]] : [SESSION, e.line, e.input];
    switch (req.hist_access_type) {
      case "tail":
        return this.entries.slice(-Math.max(0, req.n ?? 10)).map(item);
      case "range":
        return this.range(req).map(item);
      case "search":
        return this.search(req).map(item);
      default:
        return [];
    }
  }

  private range(req: HistoryRequest): Entry[] {
    // Session 0 (or a negative offset of 0) is the current one; older sessions are gone.
    const session = req.session ?? 0;
    if (session !== 0 && session !== SESSION) return [];
    const start = req.start ?? 0;
    const stop = req.stop ?? Number.MAX_SAFE_INTEGER;
    return this.entries.filter((e) => e.line >= start && e.line < stop);
  }

  private search(req: HistoryRequest): Entry[] {
    const re = globToRegExp(req.pattern ?? "*");
    let found = this.entries.filter((e) => re.test(e.input));
    if (req.unique) {
      const seen = new Set<string>();
      // Keep the most recent occurrence of each input, in history order.
      found = found
        .reverse()
        .filter((e) => !seen.has(e.input) && !!seen.add(e.input))
        .reverse();
    }
    return req.n ? found.slice(-req.n) : found;
  }
}
