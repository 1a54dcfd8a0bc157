// The site's front page: the lab with each tutorial one click away, the API reference and the
// executed tutorials (those two are built by `npm run docs` when the project has it).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const escape = (s) =>
  s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

function title(name) {
  return name
    .replace(/\.ipynb$/, "")
    .replace(/^(\d+)-/, "$1 · ")
    .replace(/-/g, " ");
}

export function writeFrontPage(siteDir, notebooks, version) {
  const tutorials = notebooks
    .filter((n) => /^\d/.test(n))
    .map((n) => {
      const run = `lab/index.html?path=${encodeURIComponent(n)}`;
      const page = `tutorials/${n.replace(/\.ipynb$/, ".html")}`;
      const read = existsSync(join(siteDir, page))
        ? ` · <a href="${page}">read with outputs</a>`
        : "";
      return `<li><a href="${run}">${escape(title(n))}</a>${read}</li>`;
    })
    .join("\n        ");
  const api = existsSync(join(siteDir, "api", "index.html"))
    ? `<li><a href="api/index.html">API reference</a>: every public name of dl, dl.nn, dl.optim, dl.data, dl.viz, dl.rl, dl.io</li>`
    : "";
  const executed = existsSync(join(siteDir, "tutorials", "index.html"))
    ? `<li><a href="tutorials/index.html">Executed tutorials</a>: read them with their outputs</li>`
    : "";
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Dendrite: deep learning in TypeScript notebooks</title>
    <link rel="icon" href="favicon.svg" />
    <script src="isolation.js"></script>
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
      h1 { margin-bottom: 0.2rem; } a { color: #1a5fb4; } code { background: #f3f3f3; padding: 0 0.2rem; }
      .note { color: #555; font-size: 0.9rem; }
    </style>
  </head>
  <body>
    <h1>Dendrite</h1>
    <p>Deep learning in TypeScript notebooks: tensors, autograd, layers and training, with PyTorch's semantics. Version ${escape(version)}.</p>
    <h2>Run the tutorials in this tab</h2>
    <p>JupyterLab runs in your browser with a TypeScript kernel in a web worker; nothing to install. Code that asks for a GPU (<code>dl.useDevice("webgpu")</code>) gets yours through WebGPU where the browser has it; everything else runs on the CPU (WebAssembly).</p>
    <ul>
        <li><a href="lab/index.html">Open the lab</a></li>
        ${tutorials}
    </ul>
    <h2>Read</h2>
    <ul>
        ${api}
        ${executed}
    </ul>
    <p class="note">Changes you make in the lab are kept in this browser's storage only.</p>
  </body>
</html>
`;
  writeFileSync(join(siteDir, "index.html"), html);
}
