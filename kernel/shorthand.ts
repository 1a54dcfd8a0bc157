// tslab rewrites a reference to an earlier cell's top-level name into `exports.name`, but it
// misses the name in a shorthand property: `JSON.stringify({ steps })` after `let steps = 3`
// in another cell threw "ReferenceError: steps is not defined". Spelling such a property out
// (`{ steps: steps }`) before compiling gives tslab an ordinary identifier to rewrite; the
// object is the same. Only names that earlier cells declared are touched, so positions in
// error messages move only on the lines where the fix was needed.
import type * as Ts from "@tslab/typescript-for-tslab";

export function expandShorthandProperties(
  ts: typeof Ts,
  code: string,
  declaredEarlier: (name: string) => boolean,
): string {
  if (!code.includes("{")) return code;
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, true);
  const inserts: { at: number; text: string }[] = [];
  const visit = (node: Ts.Node): void => {
    if (
      ts.isShorthandPropertyAssignment(node) &&
      !node.objectAssignmentInitializer &&
      declaredEarlier(node.name.text)
    )
      inserts.push({ at: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = code;
  for (const { at, text } of inserts.reverse()) out = out.slice(0, at) + text + out.slice(at);
  return out;
}
