// A Jupyter of our own in a temporary folder (never the user's real one) with the Dendrite
// kernelspec installed: where the kernel tests and the site's page builder run notebooks.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./ensure.mjs";

/**
 * Makes the sandbox: `dir` (the Jupyter prefix, with data, runtime and config folders),
 * `workdir` (an empty folder with no node_modules anywhere above it: where kernels start) and
 * `env` (the environment that points Jupyter at them). Throws when the kernelspec install fails.
 * @param {string} prefix the temporary folder's name prefix
 * @returns {{ dir: string, workdir: string, env: NodeJS.ProcessEnv }}
 */
export function createJupyterSandbox(prefix = "dendrite-jupyter-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const workdir = join(dir, "work");
  for (const d of ["work", "data", "runtime", "config"]) mkdirSync(join(dir, d));
  const cli = join(root, "dist", "kernel", "cli.js");
  const r = spawnSync(process.execPath, [cli, "install", "--prefix", dir], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`kernelspec install failed: ${r.stderr}`);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(dir, "share", "jupyter"),
    JUPYTER_DATA_DIR: join(dir, "data"),
    JUPYTER_RUNTIME_DIR: join(dir, "runtime"),
    JUPYTER_CONFIG_DIR: join(dir, "config"),
    JUPYTER_PLATFORM_DIRS: "1",
    PYTHONDONTWRITEBYTECODE: "1",
  };
  return { dir, workdir, env };
}
