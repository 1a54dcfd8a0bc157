// `npm run site:pages`: the tutorials as static pages with their outputs, so a reader sees
// results before running anything. Writes site/tutorials/<name>.html (nbconvert's HTML of an
// executed copy) and site/tutorials/index.html. The executed copy is the one the notebook tests
// leave in test-artifacts/notebooks/ when it is newer than the notebook; otherwise the notebook
// is executed here first (same runner, same installed kernel), which takes minutes per tutorial.
// Dendrite's display bundles carry static fallbacks (SVG plots and diagrams, HTML tables), which
// nbconvert picks, so the pages read without the JupyterLab extension.
//
// usage: node scripts/site-pages.mjs [--execute] [NAME.ipynb ...]
//   --execute  run every tutorial again even where an executed copy is fresh
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { ensureApt, ensureBuild, JUPYTER_PACKAGES, root } from "./ensure.mjs";
import { createJupyterSandbox } from "./jupyter-sandbox.mjs";

const PYTHON = "/usr/bin/python3"; // Debian's: the one that sees nbclient and nbconvert
const notebooksDir = join(root, "notebooks");
const executedDir = join(root, "test-artifacts", "notebooks");
const outDir = join(root, "site", "tutorials");
const runner = join(root, "tests", "notebooks", "run_notebook.py");
const template = join(root, "scripts", "site-pages", "tutorial.html.j2");
const mathjax = join(root, "node_modules", "mathjax-full", "es5", "tex-svg.js");

const isTutorial = (name) => /^\d\d-.*\.ipynb$/.test(name);
const say = (msg) => console.log(`[site:pages] ${msg}`);

function fail(msg) {
  console.error(`[site:pages] ${msg}`);
  process.exit(1);
}

/** The executed copy to publish, if the tests (or an earlier run) left one newer than the source. */
function freshExecuted(name) {
  const executed = join(executedDir, name);
  if (!existsSync(executed)) return null;
  return statSync(executed).mtimeMs > statSync(join(notebooksDir, name)).mtimeMs ? executed : null;
}

/**
 * Runs a notebook through the `dendrite` kernelspec installed in a scratch Jupyter prefix (as
 * the notebook tests do), writing the executed copy where the tests write theirs.
 */
function execute(name) {
  ensureBuild();
  let sandbox;
  try {
    sandbox = createJupyterSandbox("dendrite-site-pages-");
  } catch (e) {
    fail(e.message);
  }
  const { dir, workdir: work, env } = sandbox;
  try {
    mkdirSync(executedDir, { recursive: true });
    const executed = join(executedDir, name);
    const result = join(dir, "result.json");
    const args = [runner, join(notebooksDir, name), result, executed];
    spawnSync(PYTHON, args, { cwd: work, env, stdio: ["ignore", "ignore", "inherit"] });
    if (!existsSync(result)) fail(`${name}: the runner produced no result`);
    const r = JSON.parse(readFileSync(result, "utf8"));
    if (!r.ok) fail(`${name} failed to run:\n${r.error}`);
    say(`${name}: executed in ${r.seconds.toFixed(0)} s`);
    return executed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function toHtml(executed, name) {
  const r = spawnSync(
    PYTHON,
    [
      "-m",
      "nbconvert",
      "--to",
      "html",
      "--template-file",
      template,
      "--output-dir",
      outDir,
      "--output",
      name.replace(/\.ipynb$/, ""),
      executed,
    ],
    { encoding: "utf8" },
  );
  if (r.status !== 0) fail(`nbconvert failed on ${name}:\n${r.stderr}`);
}

/** The notebook's title (its first heading) and first paragraph, for the index. */
function summaryOf(name) {
  const nb = JSON.parse(readFileSync(join(notebooksDir, name), "utf8"));
  const md = nb.cells.find((c) => c.cell_type === "markdown");
  const text = md ? [].concat(md.source).join("") : "";
  const title = /^#\s+(.+)$/m.exec(text)?.[1].trim() ?? name.replace(/\.ipynb$/, "");
  const paragraph =
    text
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p && !p.startsWith("#")) ?? "";
  return { title, paragraph };
}

const escapeHtml = (s) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Markdown's inline code and links, enough for a tutorial's opening paragraph. */
const inlineMarkdown = (s) =>
  escapeHtml(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>")
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, "$1");

/** MathJax beside the pages; without it (no lab installed) the math reads as TeX source. */
function copyMathjax() {
  if (!existsSync(mathjax)) {
    say("mathjax-full is not installed: the pages show their math as TeX source");
    return;
  }
  mkdirSync(join(outDir, "mathjax"), { recursive: true });
  copyFileSync(mathjax, join(outDir, "mathjax", "tex-svg.js"));
}

function writeIndex(names) {
  const items = names
    .map((name) => {
      const { title, paragraph } = summaryOf(name);
      const href = name.replace(/\.ipynb$/, ".html");
      return `<li><a href="${href}">${escapeHtml(title)}</a><p>${inlineMarkdown(paragraph)}</p></li>`;
    })
    .join("\n");
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dendrite tutorials</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }
li { margin-bottom: 1rem; } li a { font-weight: 600; font-size: 1.1rem; } li p { margin: 0.25rem 0 0; }
</style>
</head>
<body>
<h1>Dendrite tutorials</h1>
<p>Each tutorial as executed, with its outputs: read them here, or open them in the lab to run
them. The <a href="../api/index.html">API reference</a> documents every function and class.</p>
<ol>
${items}
</ol>
</body>
</html>
`;
  writeFileSync(join(outDir, "index.html"), html);
}

function main() {
  const args = process.argv.slice(2);
  const forceExecute = args.includes("--execute");
  const asked = args.filter((a) => !a.startsWith("--")).map((a) => basename(a));
  const tutorials = readdirSync(notebooksDir).filter(isTutorial).sort();
  for (const name of asked)
    if (!tutorials.includes(name)) fail(`${name} is not a tutorial in notebooks/`);
  const chosen = asked.length > 0 ? asked : tutorials;
  ensureApt(JUPYTER_PACKAGES, "executing and converting the tutorials");
  mkdirSync(outDir, { recursive: true });
  const started = Date.now();
  for (const name of chosen) {
    let executed = forceExecute ? null : freshExecuted(name);
    if (executed) say(`${name}: using the executed copy in test-artifacts/notebooks/`);
    else {
      say(`${name}: no executed copy newer than the notebook, executing it (minutes)`);
      executed = execute(name);
    }
    toHtml(executed, name);
  }
  copyMathjax();
  writeIndex(tutorials.filter((n) => existsSync(join(outDir, n.replace(/\.ipynb$/, ".html")))));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(`wrote ${chosen.length} page(s) and the index to site/tutorials/ in ${seconds} s`);
}

main();
