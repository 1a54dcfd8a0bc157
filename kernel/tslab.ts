// Loads tslab's compiler pieces with three adjustments made from outside (node_modules stays
// untouched): cells compile with inline source maps (so runtime errors point at cell lines),
// `dendrite` resolves to this package from any folder, and `@types/node` is found even when
// the notebook's folder has no node_modules. tslab reaches TypeScript through
// `__importStar(require(...))`, which returns a module flagged `__esModule` as is, so a Proxy
// placed in the require cache before tslab loads sees every call.
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as Ts from "@tslab/typescript-for-tslab";
import type { Converter, ConvertResult, Diagnostic } from "tslab/dist/converter.js";
import type { CodeMetadata } from "tslab/dist/metadata.js";

export type { Converter, ConvertResult, Diagnostic, CodeMetadata };

const kernelRequire = createRequire(import.meta.url);
/** The root of this package (dist/kernel/x.js → ../..). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const tslabDir = dirname(kernelRequire.resolve("tslab/package.json"));
const tslabRequire = createRequire(join(tslabDir, "dist", "converter.js"));
const tsPath = tslabRequire.resolve("@tslab/typescript-for-tslab");

/** Marks the pair of source maps that the TypeScript wrapper appends to compiled cells. */
export const MAPS_MARK = "\n//# dendriteSourceMaps=";

function findTypesDir(): string | null {
  for (const req of [kernelRequire, tslabRequire]) {
    try {
      return dirname(dirname(req.resolve("@types/node/package.json")));
    } catch {
      // not installed next to this resolver; try the next one
    }
  }
  return null;
}

function adjustOptions(options: Ts.CompilerOptions): Ts.CompilerOptions {
  const typeRoots = [...(options.typeRoots ?? [])];
  const hasNode = typeRoots.some((r) => existsSync(join(r, "node", "package.json")));
  const typesDir = findTypesDir();
  // Without @types/node near the notebook, take the kernel's, and only it: other packages
  // in the kernel's @types folder have nothing to do with the notebook and cost start-up.
  const fallback = !hasNode && typesDir !== null;
  if (fallback) typeRoots.push(typesDir);
  const root = packageRoot.replace(/\/$/, "");
  return {
    ...options,
    typeRoots,
    ...(fallback ? { types: ["node"] } : {}),
    inlineSourceMap: true,
    // The kernel preloads its own copy of the library; types come from the same copy.
    paths: { ...options.paths, dendrite: [root], "dendrite/*": [`${root}/*`] },
  };
}

function makeProxy(ts: typeof Ts): typeof Ts {
  const createWatchCompilerHost = (...args: any[]) => {
    if (Array.isArray(args[0])) args[1] = adjustOptions(args[1]);
    return (ts.createWatchCompilerHost as (...a: any[]) => unknown)(...args);
  };
  // tslab turns the emitted ES module into CommonJS with transpileModule, which would drop
  // the first source map: keep it, ask for the second, and append both for the executor.
  const transpileModule = (input: string, opts: Ts.TranspileOptions): Ts.TranspileOutput => {
    const m = /\n?\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(
      input,
    );
    if (!m) return ts.transpileModule(input, opts);
    const first = Buffer.from(m[1], "base64").toString("utf8");
    const compilerOptions = { ...opts.compilerOptions, sourceMap: true, inlineSourceMap: false };
    const out = ts.transpileModule(input.slice(0, m.index), { ...opts, compilerOptions });
    const code = out.outputText.replace(/\n?\/\/# sourceMappingURL=.*\s*$/, "");
    const maps = Buffer.from(JSON.stringify([out.sourceMapText, first])).toString("base64");
    return { ...out, outputText: code + MAPS_MARK + maps };
  };
  return new Proxy(ts, {
    get(target, key) {
      if (key === "__esModule") return true;
      if (key === "createWatchCompilerHost") return createWatchCompilerHost;
      if (key === "transpileModule") return transpileModule;
      return (target as any)[key];
    },
  });
}

let installed = false;

function installHooks(): void {
  if (installed) return;
  installed = true;
  const real = tslabRequire(tsPath) as typeof Ts;
  const cached = tslabRequire.cache[tsPath];
  if (cached) cached.exports = makeProxy(real);
}

export interface TslabParts {
  ts: typeof Ts;
  createConverter(options?: { isJS?: boolean; isBrowser?: boolean }): Converter;
  getCodeMetadata(src: string): CodeMetadata;
  printQuickInfo(info: Ts.QuickInfo): string;
  /** tslab's own `display` API publishes through this variable. */
  jupyter: { lastWriteDisplayData: unknown };
  /** What `require("tslab")` gives a cell. */
  publicApi: unknown;
}

export function loadTslab(): TslabParts {
  installHooks();
  const load = (file: string) => tslabRequire(join(tslabDir, "dist", file));
  return {
    ts: tslabRequire(tsPath),
    createConverter: load("converter.js").createConverter,
    getCodeMetadata: load("metadata.js").getCodeMetadata,
    printQuickInfo: load("inspect.js").printQuickInfo,
    jupyter: load("jupyter.js"),
    publicApi: load("public.js"),
  };
}

export { kernelRequire };
