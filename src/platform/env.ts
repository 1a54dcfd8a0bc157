// Where are we running? Everything Node-only in the library asks this module first, so the
// rest of the library stays loadable in a browser (architecture rule 9).

/** True under Node (or a runtime that mimics it, such as Bun or Deno's Node mode). */
export function isNode(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === "string";
}

/**
 * Imports a Node built-in (`nodeBuiltin<typeof import("node:fs")>("fs")`). The specifier is
 * computed so that browser bundlers (esbuild, Vite, Rollup, webpack) leave the import alone:
 * with a literal "node:fs" esbuild refuses to bundle the library for the browser at all.
 */
export function nodeBuiltin<T>(name: string): Promise<T> {
  const specifier = `node:${name}`;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}

/**
 * One turn of the event loop (a macrotask), so queued I/O and messages run: setImmediate in
 * Node; in a browser a MessageChannel message, which setTimeout's 4 ms clamp does not delay.
 */
export function macrotaskTurn(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate;
  if (immediate) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
