// tslab runs a cell as an async function only when TypeScript reports a top-level `await`
// (diagnostic 1308). A top-level `for await (...)` produces no diagnostic in tslab's setup,
// so such a cell ran as plain code and failed with "Unexpected reserved word". Learners write
// `for await (const [x, y] of loader)` at the top of a cell all the time: detect it here.
import type * as Ts from "@tslab/typescript-for-tslab";

/** True when `code` has a `for await` loop outside any function or class. */
export function hasTopLevelForAwait(ts: typeof Ts, code: string): boolean {
  if (!code.includes("await")) return false;
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false);
  const visit = (node: Ts.Node): boolean => {
    if (ts.isForOfStatement(node) && node.awaitModifier) return true;
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    return ts.forEachChild(node, visit) ?? false;
  };
  return ts.forEachChild(file, visit) ?? false;
}
