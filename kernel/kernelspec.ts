// Writes and removes the `dendrite` kernelspec in the folders Jupyter searches, following
// jupyter_core's rules for --user, --sys-prefix and --prefix, without needing Python for
// anything but --sys-prefix (which asks Python where its prefix is).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const KERNEL_NAME = "dendrite";
export const DISPLAY_NAME = "Dendrite (TypeScript)";

export interface Location {
  user?: boolean;
  sysPrefix?: boolean;
  prefix?: string;
  /** The Python whose sys.prefix --sys-prefix means. */
  python?: string;
}

/** jupyter_core's jupyter_data_dir(). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === "darwin") return join(homedir(), "Library", "Jupyter");
  if (process.platform === "win32") return join(env.APPDATA ?? homedir(), "jupyter");
  return join(env.XDG_DATA_HOME || join(homedir(), ".local", "share"), "jupyter");
}

function systemDataDir(): string {
  if (process.platform === "win32")
    return join(process.env.PROGRAMDATA ?? "C:\\ProgramData", "jupyter");
  return "/usr/local/share/jupyter";
}

function pythonPrefix(python: string): string {
  const r = spawnSync(python, ["-c", "import sys; print(sys.prefix)"], { encoding: "utf8" });
  if (r.status !== 0)
    throw new Error(`could not ask ${python} for sys.prefix: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** The kernels/ folder for a location; with no option, per-user unless running as root. */
export function kernelsDir(loc: Location): string {
  if (loc.prefix) return join(loc.prefix, "share", "jupyter", "kernels");
  if (loc.sysPrefix)
    return join(pythonPrefix(loc.python ?? "python3"), "share", "jupyter", "kernels");
  if (loc.user || !isRoot()) return join(userDataDir(), "kernels");
  return join(systemDataDir(), "kernels");
}

export function kernelJson(): Record<string, unknown> {
  const main = fileURLToPath(new URL("./main.js", import.meta.url));
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return {
    // The Node that ran the installer runs the kernel: the one the package was installed for.
    argv: [process.execPath, main, "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // The control worker handles interrupt_request even when a cell blocks the main thread,
    // and can stop busy loops that a signal cannot reach.
    interrupt_mode: "message",
    metadata: { dendrite: { version: pkg.version } },
  };
}

export function install(loc: Location): string {
  const dir = join(kernelsDir(loc), KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "kernel.json"), JSON.stringify(kernelJson(), null, 2) + "\n");
  return dir;
}

/** Removes the kernelspec; with no option, from both the per-user and the system folder. */
export function uninstall(loc: Location): string[] {
  const explicit = loc.prefix || loc.sysPrefix || loc.user;
  const dirs = explicit
    ? [kernelsDir(loc)]
    : [join(userDataDir(), "kernels"), join(systemDataDir(), "kernels")];
  const removed: string[] = [];
  for (const d of dirs) {
    const dir = join(d, KERNEL_NAME);
    if (!existsSync(join(dir, "kernel.json"))) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
