// Where are we running? Everything Node-only in the library asks this module first, so the
// rest of the library stays loadable in a browser (architecture rule 9).

/** True under Node (or a runtime that mimics it, such as Bun or Deno's Node mode). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}
