// What `require` means inside a cell: `dendrite` is the library instance the kernel preloaded
// (the same one `dl` names, so displays and devices are shared), `tslab` is tslab's public
// API, local .ts files compiled alongside a cell load from memory, and everything else
// resolves from the notebook's folder first, then from the kernel's own installation.
import Module, { createRequire } from "node:module";
import { dirname, extname, join } from "node:path";

export interface ModuleHost {
  /** Named modules the kernel provides itself. */
  builtins: Map<string, unknown>;
  /** Compiled JavaScript of .ts files that cells import, by absolute .js path. */
  sideOutputs: Map<string, string>;
  sideModules: Map<string, Module>;
  fallback: NodeJS.Require;
}

export function createModuleHost(fallback: NodeJS.Require): ModuleHost {
  return { builtins: new Map(), sideOutputs: new Map(), sideModules: new Map(), fallback };
}

/** Records newly compiled side files; a changed file is reloaded on its next require. */
export function updateSideOutputs(host: ModuleHost, outs: { path: string; data: string }[]) {
  for (const out of outs) {
    host.sideModules.delete(out.path);
    host.sideOutputs.set(out.path, out.data);
  }
}

function loadSide(host: ModuleHost, id: string, dir: string): unknown {
  if (!id.startsWith(".") && !id.startsWith("/")) return undefined;
  let filename = join(dir, id);
  if (extname(filename) === "") filename += ".js";
  const cached = host.sideModules.get(filename);
  if (cached) return cached.exports;
  const code = host.sideOutputs.get(filename);
  if (code === undefined) return undefined;
  const mod = new Module(filename) as Module & { _compile(code: string, f: string): void };
  mod.filename = filename;
  mod.paths = (Module as any)._nodeModulePaths(dirname(filename));
  mod.require = makeRequire(host, dirname(filename));
  // Cache before compiling, as Node does, so circular imports terminate.
  host.sideModules.set(filename, mod);
  mod._compile(code, filename);
  return mod.exports;
}

/** A `require` for code whose relative imports start at `dir`. */
export function makeRequire(host: ModuleHost, dir: string): NodeJS.Require {
  const local = createRequire(join(dir, "__cell__.js"));
  const req = ((id: string) => {
    if (host.builtins.has(id)) return host.builtins.get(id);
    const side = loadSide(host, id, dir);
    if (side !== undefined) return side;
    try {
      return local(id);
    } catch (err) {
      if ((err as { code?: string }).code !== "MODULE_NOT_FOUND") throw err;
      return host.fallback(id);
    }
  }) as NodeJS.Require;
  return Object.assign(req, { resolve: local.resolve, cache: local.cache, main: local.main });
}
