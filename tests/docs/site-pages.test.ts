// The tutorial pages' template (scripts/site-pages/tutorial.html.j2): nbconvert's own lab
// template sanitises SVG outputs down to their text, which blanked every plot and diagram of the
// static pages. The same conversion `npm run site:pages` runs, on a notebook holding one plot
// made by the library and one formula, must keep the drawing and load MathJax from beside the
// page.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as dl from "../../src/index.js";
import { JUPYTER_DISPLAY } from "../../src/display/protocol.js";

const PYTHON = "/usr/bin/python3";
const template = join(import.meta.dirname, "..", "..", "scripts", "site-pages", "tutorial.html.j2");
const nbconvertAvailable = spawnSync(PYTHON, ["-c", "import nbconvert"]).status === 0;

function notebookWith(svg: string): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: "dendrite", display_name: "Dendrite", language: "typescript" },
    },
    cells: [
      {
        cell_type: "markdown",
        id: "a",
        metadata: {},
        source: "# Title\n\nThe loss $\\ell(r) = r^2$.",
      },
      {
        cell_type: "code",
        id: "b",
        metadata: {},
        execution_count: 1,
        source: "dl.viz.plot({ y: [1, 3, 2] })",
        outputs: [
          {
            output_type: "execute_result",
            execution_count: 1,
            metadata: {},
            data: { "image/svg+xml": svg, "text/plain": "plot" },
          },
        ],
      },
    ],
  };
}

describe.skipIf(!nbconvertAvailable)("tutorial pages", () => {
  const dir = mkdtempSync(join(tmpdir(), "dendrite-site-pages-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keep the library's SVG drawings and typeset math with the MathJax beside them", async () => {
    const bundle = await dl.viz.plot({ y: [1, 3, 2] })[JUPYTER_DISPLAY]();
    const svg = String(bundle["image/svg+xml"]);
    const drawing = /<(path|polyline|line)\b[^>]*>/.exec(svg)?.[0];
    expect(drawing, "the plot's SVG fallback draws something").toBeDefined();
    writeFileSync(join(dir, "page.ipynb"), JSON.stringify(notebookWith(svg)));
    const r = spawnSync(
      PYTHON,
      ["-m", "nbconvert", "--to", "html", "--template-file", template, "page.ipynb"],
      { cwd: dir, encoding: "utf8" },
    );
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(dir, "page.html"), "utf8");
    expect(html).toContain(drawing);
    expect(html).toContain('<script src="mathjax/tex-svg.js"');
    expect(html).toContain("$\\ell(r) = r^2$");
  });
});
