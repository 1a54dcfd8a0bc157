// The prebuilt (federated) labextension that `dendrite install` copies into a user's own
// JupyterLab 4: built by @jupyter/builder into extension/labextension/ when stale.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const out = join(root, "extension", "labextension");

describe("prebuilt labextension", () => {
  beforeAll(async () => {
    // @ts-expect-error -- a plain .mjs helper without type declarations
    const { ensureLabextension } = await import("../../scripts/ensure.mjs");
    ensureLabextension();
  }, 180_000);

  it("declares our mime extension and ships a remote entry, styles and lazy chunks", () => {
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    expect(pkg.name).toBe("@dendrite/jupyterlab");
    expect(pkg.jupyterlab.mimeExtension).toBe(true);
    const build = pkg.jupyterlab._build;
    expect(build.load).toMatch(/^static\/remoteEntry\.[0-9a-f]+\.js$/);
    expect(build.mimeExtension).toBe("./mimeExtension");
    expect(build.style).toBe("./style");
    expect(existsSync(join(out, build.load))).toBe(true);
    // plotly.js and elkjs stay out of the remote entry: separate chunks loaded on first use.
    const chunks = readdirSync(join(out, "static")).filter((f) => f.endsWith(".js"));
    const sizes = chunks.map((f) => readFileSync(join(out, "static", f)).length);
    expect(Math.max(...sizes)).toBeGreaterThan(3_000_000);
    expect(readFileSync(join(out, build.load)).length).toBeLessThan(100_000);
  });

  it("takes Lumino from JupyterLab's shared scope instead of bundling a second copy", () => {
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    const entry = readFileSync(join(out, pkg.jupyterlab._build.load), "utf8");
    // import:null = consumed from the host only; a bundled copy would break instanceof checks.
    expect(entry).toMatch(/"@lumino\/widgets",import:null,[^}]*singleton:!0/);
  });
});
