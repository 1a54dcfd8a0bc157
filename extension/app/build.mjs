// Builds the bundled JupyterLab behind `npm start` into extension/app/build/: one rspack pass
// for the application (development mode: ~10x faster than production on a 2-core machine, and
// the lab is served locally, so minification buys nothing), plus JupyterLab's theme builds and
// the settings schemas copied by @jupyter/builder's Build.ensureAssets.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { appConfig, ensureAssets, rspack } from "./rspack-config.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const output = join(here, "build");
const themeConfigs = ensureAssets(output);

// Settings defaults for this lab: no news or update checks (the lab is local and the browser
// tests must not meet a pop-up). jupyterlab_server reads them from overrides.json.
const settingsDir = join(output, "application_settings");
mkdirSync(settingsDir, { recursive: true });
const overrides = {
  "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false },
};
writeFileSync(join(settingsDir, "overrides.json"), JSON.stringify(overrides, null, 2));

const app = appConfig({ name: "app", entry: join(here, "index.ts"), output });

const started = Date.now();
rspack.rspack([app, ...themeConfigs], (err, stats) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  if (stats.hasErrors()) {
    console.error(stats.toString({ all: false, errors: true, colors: false }));
    // rspack still emits a bundle with errors; remove it so ensureLabBuild retries next time.
    rmSync(join(output, "bundle.js"), { force: true });
    process.exit(1);
  }
  console.log(
    `[dendrite] lab built in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${output}`,
  );
});
