// `is_complete_request`: whether a console should run the code on Enter (complete), wait for
// more lines (incomplete, with the indent for the next one), or run it to show the error
// (invalid). tslab only ever said complete or incomplete.
import type * as Ts from "@tslab/typescript-for-tslab";

export type IsComplete =
  { status: "complete" } | { status: "incomplete"; indent: string } | { status: "invalid" };

/** The indent of the next line: one level deeper after an opening bracket. */
function nextIndent(code: string): string {
  const last = /[^\n]*$/.exec(code)?.[0] ?? "";
  const current = /^\s*/.exec(last)?.[0] ?? "";
  return /[{([]\s*$/.test(last) ? current + "  " : current;
}

/** True when the parse error only says the code stops early. */
function endsEarly(d: Ts.DiagnosticWithLocation, code: string): boolean {
  const text = typeof d.messageText === "string" ? d.messageText : d.messageText.messageText;
  // Open template literals and comments are reported where they start, not at the end.
  if (/^Unterminated template literal/.test(text) || text === "'*/' expected.") return true;
  return d.start >= code.trimEnd().length && / expected\.$/.test(text);
}

export function isComplete(ts: typeof Ts, code: string): IsComplete {
  const sf = ts.createSourceFile("cell.tsx", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: Ts.DiagnosticWithLocation[] })
    .parseDiagnostics;
  if (!diags || diags.length === 0) return { status: "complete" };
  // A blank last line means "run it now", whatever its state, as in IPython's console.
  const forced = /\n\s*\n\s*$/.test(code);
  if (!forced && diags.every((d) => endsEarly(d, code))) {
    return { status: "incomplete", indent: nextIndent(code) };
  }
  return { status: "invalid" };
}
