// `dendrite install` / `uninstall` write and remove the kernelspec where Jupyter looks,
// and Jupyter itself lists it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PYTHON, root } from "./helpers.js";

const cli = join(root, "dist", "kernel", "cli.js");
const run = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env });

describe("dendrite install / uninstall", () => {
  it("writes kernel.json under --prefix and removes it again", () => {
    const prefix = mkdtempSync(join(tmpdir(), "dendrite-prefix-"));
    const r = run(["install", "--prefix", prefix]);
    expect(r.status, r.stderr).toBe(0);
    const file = join(prefix, "share", "jupyter", "kernels", "dendrite", "kernel.json");
    const spec = JSON.parse(readFileSync(file, "utf8"));
    expect(spec.display_name).toBe("Dendrite (TypeScript)");
    expect(spec.language).toBe("typescript");
    expect(spec.argv.at(-1)).toBe("{connection_file}");
    expect(existsSync(spec.argv[1])).toBe(true);
    expect(run(["uninstall", "--prefix", prefix]).status).toBe(0);
    expect(existsSync(file)).toBe(false);
  });

  it("installs per user into JUPYTER_DATA_DIR, where jupyter finds it", () => {
    const data = mkdtempSync(join(tmpdir(), "dendrite-data-"));
    const env = { ...process.env, JUPYTER_DATA_DIR: data };
    expect(run(["install", "--user"], env).status).toBe(0);
    expect(existsSync(join(data, "kernels", "dendrite", "kernel.json"))).toBe(true);
    const code =
      "from jupyter_client.kernelspec import KernelSpecManager as K; print(K().find_kernel_specs())";
    const listed = spawnSync(PYTHON, ["-c", code], { encoding: "utf8", env });
    if (listed.status === 0) expect(listed.stdout).toContain(join(data, "kernels", "dendrite"));
    expect(run(["uninstall", "--user"], env).stdout).toContain("Removed");
  });

  it("rejects unknown and conflicting options", () => {
    expect(run(["install", "--bogus"]).status).toBe(1);
    expect(run(["install", "--user", "--prefix", "/tmp/x"]).status).toBe(1);
    expect(run([]).status).toBe(2);
  });
});
