// The rspack configuration of the bundled JupyterLab, shared by the lab behind `npm start`
// (app/build.mjs, served by jupyter_server) and the site's JupyterLite (lite/build.mjs).
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";

const require = createRequire(import.meta.url);
export const rspack = require("@rspack/core");
const { Build } = require("@jupyter/builder");
const miniSVGDataURI = require("mini-svg-data-uri");

const here = dirname(fileURLToPath(import.meta.url));
const pkg = JSON.parse(readFileSync(join(here, "..", "package.json"), "utf8"));

/** Every JupyterLab extension package among our devDependencies contributes schemas or a theme. */
export const labPackages = Object.keys(pkg.devDependencies).filter((name) => {
  const data = require(`${name}/package.json`);
  return Boolean(data.jupyterlab && (data.jupyterlab.schemaDir || data.jupyterlab.themePath));
});

/** Copies the packages' settings schemas into output/schemas and returns the theme builds. */
export function ensureAssets(output, packageNames = labPackages) {
  return Build.ensureAssets({ packageNames, output });
}

// Module federation: this lab hosts prebuilt labextensions the way JupyterLab does, sharing
// JupyterLab's core packages (singletons where JupyterLab says so) under the container name
// JupyterLab uses, so an extension built by @jupyter/builder finds what it expects.
const coreDir = dirname(require.resolve("@jupyterlab/core-meta/package.json"));
const core = JSON.parse(readFileSync(join(coreDir, "core.package.json"), "utf8"));
const installed = (name) => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
};
const shared = {};
for (const [name, range] of Object.entries({ ...core.dependencies, ...core.resolutions })) {
  if (!installed(name)) continue;
  shared[name] = {
    requiredVersion: range,
    singleton: core.jupyterlab.singletonPackages.includes(name),
  };
}

/**
 * The application bundle: JupyterLab from npm, built by rspack, written to output/bundle.js.
 * Development mode is ~10x faster on a 2-core machine and enough for a lab served locally;
 * the published site is built in production mode (minified: half the bytes to download).
 */
export function appConfig({ name, entry, output, mode = "development" }) {
  return {
    name,
    mode,
    devtool: false,
    entry: { bundle: entry },
    output: {
      path: output,
      filename: "[name].js",
      chunkFilename: "[name].[contenthash:8].js",
      clean: false,
    },
    resolve: {
      extensions: [".ts", ".js"],
      // Our TypeScript imports name the compiled .js files (ESM rules); resolve them to sources.
      extensionAlias: { ".js": [".ts", ".js"] },
      fallback: { path: require.resolve("path-browserify") },
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          loader: "builtin:swc-loader",
          options: { jsc: { parser: { syntax: "typescript" }, target: "es2021" } },
          type: "javascript/auto",
        },
        {
          test: /\.css$/,
          exclude: /\.raw\.css$/,
          use: ["style-loader", "css-loader"],
          type: "javascript/auto",
        },
        { test: /\.raw\.css$/, type: "asset/source" },
        { test: /\.md$/, type: "asset/source" },
        { test: /\.(html|jpg|png|gif|eot)$/, type: "asset/resource" },
        { test: /\.(woff2?|ttf)(\?v=\d+\.\d+\.\d+)?$/, type: "asset" },
        {
          // In CSS, SVG icons become data URIs; in JavaScript, raw strings (LabIcon parses them).
          test: /\.svg(\?v=\d+\.\d+\.\d+)?$/,
          issuer: /\.css$/,
          type: "asset/inline",
          generator: {
            dataUrl: { content: (c) => miniSVGDataURI(c.content), mimetype: "image/svg+xml" },
          },
        },
        { test: /\.svg(\?v=\d+\.\d+\.\d+)?$/, issuer: /\.[jt]s$/, type: "asset/source" },
      ],
    },
    plugins: [
      new rspack.ProvidePlugin({ process: require.resolve("process/browser") }),
      new rspack.container.ModuleFederationPluginV1({
        name: "CORE_FEDERATION",
        library: { type: "var", name: ["_JUPYTERLAB", "CORE_LIBRARY_FEDERATION"] },
        shared,
      }),
    ],
    optimization: { chunkIds: "deterministic" },
    performance: { hints: false },
    infrastructureLogging: { level: "error" },
  };
}
