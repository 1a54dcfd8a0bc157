// `dendrite install` puts the prebuilt JupyterLab extension beside the kernelspec, where a
// user's JupyterLab 4 loads prebuilt extensions from; `dendrite uninstall` removes both.
import { beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM script without types
import { ensureBuild, ensureLabextension, root } from "../../scripts/ensure.mjs";

const cli = join(root, "dist", "kernel", "cli.js");

beforeAll(() => {
  ensureBuild();
  ensureLabextension();
}, 300_000);

it("install copies the labextension next to the kernelspec and uninstall removes both", () => {
  const prefix = mkdtempSync(join(tmpdir(), "dendrite-prefix-"));
  const out = execFileSync(process.execPath, [cli, "install", "--prefix", prefix], {
    encoding: "utf8",
  });
  const data = join(prefix, "share", "jupyter");
  const ext = join(data, "labextensions", "@dendrite", "jupyterlab");
  expect(out).toContain(ext);
  expect(existsSync(join(data, "kernels", "dendrite", "kernel.json"))).toBe(true);
  const built = join(root, "extension", "labextension");
  expect(readFileSync(join(ext, "package.json"), "utf8")).toBe(
    readFileSync(join(built, "package.json"), "utf8"),
  );
  expect(existsSync(join(ext, "static"))).toBe(true);
  execFileSync(process.execPath, [cli, "uninstall", "--prefix", prefix]);
  expect(existsSync(join(data, "kernels", "dendrite"))).toBe(false);
  expect(existsSync(ext)).toBe(false);
}, 60_000);
