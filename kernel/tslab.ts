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
import { MAPS_MARK, type TslabParts } from "./tslab-types.js";
import { makeTsProxy } from "./ts-proxy.js";

export type {
  Converter,
  ConvertResult,
  Diagnostic,
  CodeMetadata,
  TslabParts,
} from "./tslab-types.js";
export { MAPS_MARK };

const kernelRequire = createRequire(import.meta.url);
/** The root of this package (dist/kernel/x.js → ../..). */
export const packageRoot = fileURLToPath(new URL("../../", import.meta.url));
export const tslabDir = dirname(kernelRequire.resolve("tslab/package.json"));
const tslabRequire = createRequire(join(tslabDir, "dist", "converter.js"));
const tsPath = tslabRequire.resolve("@tslab/typescript-for-tslab");

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

let installed = false;

function installHooks(): void {
  if (installed) return;
  installed = true;
  const real = tslabRequire(tsPath) as typeof Ts;
  const cached = tslabRequire.cache[tsPath];
  if (cached) cached.exports = makeTsProxy(real, { adjustOptions });
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
