// Builds the browser kernel: the web worker bundle (esbuild) and the declarations TypeScript
// needs in the browser (its lib files and the library's .d.ts from dist/, so run the library
// build first). Writes into `outDir` (the site's lab/kernel/).
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");

/** tslab's own files get the worker's TypeScript proxy; TypeScript gets no Node built-ins. */
const browserKernelPlugin = {
  name: "dendrite-browser-kernel",
  setup(b) {
    b.onResolve({ filter: /^@tslab\/typescript-for-tslab$/ }, (args) =>
      args.importer.includes(`${join("node_modules", "tslab")}`)
        ? { path: join(here, "kernel", "ts-shim.cjs") }
        : undefined,
    );
    // TypeScript's Node system (never used in a worker: ts.sys is ours) requires these.
    b.onResolve(
      {
        filter:
          /^(fs|os|crypto|inspector|perf_hooks|source-map-support|child_process|buffer|module|worker_threads)$/,
      },
      (args) =>
        args.importer.includes("typescript-for-tslab")
          ? { path: args.path, namespace: "node-unavailable" }
          : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "node-unavailable" }, () => ({
      contents: "module.exports = {};",
      loader: "js",
    }));
  },
};

export async function buildKernelWorker(outDir) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(here, "kernel", "worker.ts")],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    logLevel: "warning",
    alias: {
      "node:util": join(here, "kernel", "node-util.ts"),
      path: require.resolve("path-browserify"),
    },
    // tslab reads the Node version to pick its compile target (ES2022 for Node >= 18) and
    // __dirname for a type root that does not exist here.
    define: { "process.version": '"v20.0.0"', __dirname: '"/tslab/dist"' },
    plugins: [browserKernelPlugin],
  });
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** TypeScript's lib files and the library's declarations, keyed by their virtual path. */
export function writeDeclarations(outDir) {
  const files = {};
  const tsLib = dirname(require.resolve("@tslab/typescript-for-tslab/lib/typescript.js"));
  for (const name of readdirSync(tsLib))
    if (/^lib\..*\.d\.ts$/.test(name))
      files[`/typescript/${name}`] = readFileSync(join(tsLib, name), "utf8");
  const types = join(root, "dist", "src");
  for (const file of walk(types))
    if (file.endsWith(".d.ts"))
      files[`/dendrite/${relative(types, file)}`] = readFileSync(file, "utf8");
  if (!files["/dendrite/index.d.ts"])
    throw new Error("no dist/src/index.d.ts: run npm run build first");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "types.json"), JSON.stringify(files));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ?? join(root, "site", "lab", "kernel");
  const started = Date.now();
  await buildKernelWorker(out);
  writeDeclarations(out);
  console.log(
    `[dendrite] browser kernel built in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${out}`,
  );
}
