// Whole-file reads and writes. Node's fs is imported lazily, on first use, so that importing
// the library in a browser never touches it; there, the byte-level APIs are the way in and out,
// unless the host installs its own files (the site's browser kernel: the lab's file browser).
import { fail } from "../tensor/errors.js";
import { isNode, nodeBuiltin } from "./env.js";

/** Files a host provides where Node's fs is missing; errors are thrown as Errors. */
export interface HostFiles {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
}

let hostFiles: HostFiles | null = null;

/**
 * Makes dl.save / dl.load read and write through `files` (null: Node's fs again). The site's
 * browser kernel installs the lab's own files, so a notebook's save/load code runs unchanged in
 * the tab and under Node.
 */
export function setHostFiles(files: HostFiles | null): void {
  hostFiles = files;
}

type FsPromises = typeof import("node:fs/promises");

let fsModule: Promise<FsPromises> | null = null;

/** Node's fs/promises, or a DendriteError naming `op` and the browser alternative. */
export function nodeFs(op: string, alternative: string): Promise<FsPromises> {
  if (!isNode()) fail(op, `there is no file system here (not running under Node); ${alternative}`);
  fsModule ??= nodeBuiltin<FsPromises>("fs/promises");
  return fsModule;
}

let syncFsModule: Promise<typeof import("node:fs")> | null = null;

/** Node's synchronous fs (for many small reads, where the async API's overhead dominates). */
export function nodeSyncFs(): Promise<typeof import("node:fs")> {
  if (!isNode()) fail("dataset", "there is no file system here (not running under Node)");
  syncFsModule ??= nodeBuiltin<typeof import("node:fs")>("fs");
  return syncFsModule;
}

export async function readFileBytes(op: string, path: string, alternative: string) {
  if (hostFiles) {
    try {
      return await hostFiles.readFile(path);
    } catch (err) {
      fail(op, `cannot read ${path}: ${(err as Error).message}`);
    }
  }
  const fs = await nodeFs(op, alternative);
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    fail(op, `cannot read ${path}: ${(err as Error).message}`);
  }
}

export async function writeFileBytes(
  op: string,
  path: string,
  bytes: Uint8Array,
  alternative: string,
): Promise<void> {
  if (hostFiles) {
    try {
      return await hostFiles.writeFile(path, bytes);
    } catch (err) {
      fail(op, `cannot write ${path}: ${(err as Error).message}`);
    }
  }
  const fs = await nodeFs(op, alternative);
  try {
    await fs.writeFile(path, bytes);
  } catch (err) {
    fail(op, `cannot write ${path}: ${(err as Error).message}`);
  }
}
