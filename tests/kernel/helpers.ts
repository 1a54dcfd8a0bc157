// Shared set-up of the kernel tests: a Jupyter of our own in a temporary folder (never the
// user's real one) with the Dendrite kernelspec installed, and a runner that turns each case
// of a Python unittest module into a vitest test.
import { spawn, spawnSync } from "node:child_process";
import { beforeAll, describe, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createJupyterSandbox } from "../../scripts/jupyter-sandbox.mjs";

export const root = fileURLToPath(new URL("../../", import.meta.url));
export const PYTHON = "/usr/bin/python3";
const here = dirname(fileURLToPath(import.meta.url));
const cli = join(root, "dist", "kernel", "cli.js");

export interface JupyterSandbox {
  dir: string;
  /** An empty folder with no node_modules anywhere above it: where kernels start. */
  workdir: string;
  env: NodeJS.ProcessEnv;
}

/** True when the Jupyter side of the tests can run here. */
export function jupyterAvailable(): boolean {
  const r = spawnSync(PYTHON, ["-c", "import jupyter_client, jupyter_kernel_test, nbclient"]);
  return r.status === 0 && existsSync(cli);
}

export function createSandbox(): JupyterSandbox {
  return createJupyterSandbox();
}

export interface PyOutcome {
  status: "ok" | "fail" | "error" | "skip";
  message: string;
}

export function listPythonTests(module: string): string[] {
  const r = spawnSync(PYTHON, [join(here, "pyrunner.py"), "list", module], { encoding: "utf8" });
  if (r.status !== 0) return [];
  return JSON.parse(r.stdout) as string[];
}

/**
 * Runs a Python script (Debian's Python, in the sandbox) that writes its results as JSON to
 * `out`, and resolves with them; rejects with the script's output when it wrote nothing.
 */
export function runPythonForJson<T>(
  args: string[],
  out: string,
  sandbox: JupyterSandbox,
  what: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd: sandbox.workdir, env: sandbox.env });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", reject);
    child.on("close", () => {
      if (!existsSync(out)) return reject(new Error(`${what} produced no results:\n${log}`));
      resolve(JSON.parse(readFileSync(out, "utf8")) as T);
    });
  });
}

/** Runs a whole module (one kernel per test class) and returns each test's outcome. */
export function runPythonTests(
  module: string,
  sandbox: JupyterSandbox,
): Promise<Record<string, PyOutcome>> {
  const out = join(sandbox.dir, `${module}.json`);
  return runPythonForJson([join(here, "pyrunner.py"), "run", module, out], out, sandbox, module);
}

/** The assertion for one Python case: passed, or failed with Python's own message. */
export function checkOutcome(results: Record<string, PyOutcome>, name: string): void {
  const setup = results.__setup__;
  if (setup) throw new Error(`set-up failed:\n${setup.message}`);
  const r = results[name];
  if (!r) throw new Error(`${name} did not run`);
  if (r.status !== "ok" && r.status !== "skip")
    throw new Error(`${name}: ${r.status}\n${r.message}`);
}

/** One vitest test per case of a Python unittest module, run against a fresh sandbox. */
export function definePythonSuite(title: string, module: string, timeoutMs: number): void {
  const available = jupyterAvailable();
  const names = available ? listPythonTests(module) : [];
  describe.skipIf(!available)(title, () => {
    let results: Record<string, PyOutcome> = {};
    beforeAll(async () => {
      results = await runPythonTests(module, createSandbox());
    }, timeoutMs);
    for (const name of names) {
      it(name, (ctx) => {
        if (results[name]?.status === "skip") ctx.skip();
        checkOutcome(results, name);
      });
    }
  });
}
