// tslab's compiler pieces in the worker. They are the same files the Node kernel loads; the
// build points their `require("@tslab/typescript-for-tslab")` at ts-shim.cjs, which hands them
// the TypeScript proxy made here: a virtual file system for ts.sys, the library's declarations
// for `dendrite`, and the source-map handling the Node kernel uses (kernel/ts-proxy.ts).
import * as realTs from "@tslab/typescript-for-tslab";
import type * as Ts from "@tslab/typescript-for-tslab";
import { makeTsProxy } from "../../../kernel/ts-proxy.js";
import type { TslabParts } from "../../../kernel/tslab-types.js";
import { virtualSystem, type VirtualFiles } from "./vfs.js";

/** Where the library's declarations sit in the virtual file system. */
export const DENDRITE_TYPES = "/dendrite/index.d.ts";

function adjustOptions(options: Ts.CompilerOptions): Ts.CompilerOptions {
  return {
    ...options,
    // No @types in a browser; cells see the DOM and worker globals tslab's isBrowser adds.
    typeRoots: [],
    types: [],
    inlineSourceMap: true,
    paths: { ...options.paths, dendrite: [DENDRITE_TYPES] },
  };
}

export async function loadTslabInBrowser(vfs: VirtualFiles): Promise<TslabParts> {
  const ts = makeTsProxy(realTs as typeof Ts, { adjustOptions, sys: virtualSystem(vfs) });
  (globalThis as { __dendriteTypeScript__?: unknown }).__dendriteTypeScript__ = ts;
  // Loaded only now: converter.js touches ts.sys as it loads.
  const [converter, metadata, inspect] = await Promise.all([
    import("tslab/dist/converter.js"),
    import("tslab/dist/metadata.js"),
    import("tslab/dist/inspect.js"),
  ]);
  return {
    ts,
    createConverter: converter.createConverter,
    getCodeMetadata: metadata.getCodeMetadata,
    printQuickInfo: inspect.printQuickInfo,
    jupyter: { lastWriteDisplayData: null },
    publicApi: undefined,
  };
}
