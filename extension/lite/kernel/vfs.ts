// TypeScript's view of files in the worker: an in-memory file system (TypeScript's own lib
// .d.ts files and the library's declarations, fetched once from the site) behind a ts.System,
// since a browser has no ts.sys. Nothing is ever written: tslab emits through callbacks.
import type * as Ts from "@tslab/typescript-for-tslab";

/** Where TypeScript looks for lib.*.d.ts: next to the file it thinks it runs from. */
export const TS_DIR = "/typescript";
export const CWD = "/notebooks";

export class VirtualFiles {
  private readonly files = new Map<string, string>();
  private readonly dirs = new Set<string>(["/"]);

  constructor(files: Record<string, string>) {
    for (const [path, text] of Object.entries(files)) this.add(path, text);
    this.addDir(CWD);
  }

  add(path: string, text: string): void {
    this.files.set(path, text);
    this.addDir(path.slice(0, path.lastIndexOf("/")) || "/");
  }

  private addDir(dir: string): void {
    for (let d = dir; d && !this.dirs.has(d); d = d.slice(0, d.lastIndexOf("/")) || "/")
      this.dirs.add(d);
  }

  read(path: string): string | undefined {
    return this.files.get(path);
  }

  hasFile(path: string): boolean {
    return this.files.has(path);
  }

  hasDir(path: string): boolean {
    return this.dirs.has(path.replace(/\/$/, "") || "/");
  }

  /** Direct children of a folder: [files, folders]. */
  entries(dir: string): [string[], string[]] {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    const childName = (p: string) => p.slice(prefix.length);
    const isChild = (p: string) => p.startsWith(prefix) && !childName(p).includes("/");
    return [
      [...this.files.keys()].filter(isChild).map(childName),
      [...this.dirs].filter((d) => d !== dir && isChild(d)).map(childName),
    ];
  }

  /** Every file under `dir` whose name ends with one of `extensions`. */
  under(dir: string, extensions: readonly string[] | undefined): string[] {
    const prefix = dir.endsWith("/") ? dir : `${dir}/`;
    return [...this.files.keys()].filter(
      (p) => p.startsWith(prefix) && (!extensions || extensions.some((e) => p.endsWith(e))),
    );
  }
}

const noWatch = { close: () => undefined };

export function virtualSystem(vfs: VirtualFiles): Ts.System {
  return {
    args: [],
    newLine: "\n",
    useCaseSensitiveFileNames: true,
    write: (s) => console.debug(s),
    readFile: (path) => vfs.read(path),
    writeFile: (path) => {
      throw new Error(`the browser kernel writes no files (${path})`);
    },
    resolvePath: (path) => path,
    fileExists: (path) => vfs.hasFile(path),
    directoryExists: (path) => vfs.hasDir(path),
    createDirectory: () => undefined,
    getExecutingFilePath: () => `${TS_DIR}/typescript.js`,
    getCurrentDirectory: () => CWD,
    getDirectories: (path) => vfs.entries(path)[1],
    readDirectory: (path, extensions) => vfs.under(path, extensions),
    realpath: (path) => path,
    getModifiedTime: () => new Date(0),
    watchFile: () => noWatch,
    watchDirectory: () => noWatch,
    setTimeout: (cb, ms, ...args) => setTimeout(cb, ms, ...args),
    clearTimeout: (id) => clearTimeout(id),
    exit: () => undefined,
  };
}
