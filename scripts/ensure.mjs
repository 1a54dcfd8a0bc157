// Installs what a fresh machine lacks before `npm test` / `npm start`, saying what it does.
// Each step is idempotent and cheap when nothing is missing.
import { execSync, spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function say(msg) {
  console.log(`[dendrite] ${msg}`);
}

function run(cmd, opts = {}) {
  say(`$ ${cmd}`);
  execSync(cmd, { stdio: "inherit", cwd: root, ...opts });
}

/**
 * npm dependencies, installed from the lockfile when node_modules is absent or older than it.
 * `npm install` rather than `npm ci`: npm writes lockfiles without the optional packages of
 * other platforms (rollup's native builds), which `npm ci` then rejects as out of sync;
 * `npm install` installs the locked versions and fills those in.
 */
export function ensureNodeModules() {
  const nm = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (upToDate(nm, newestMtime(lock))) return;
  say("installing npm dependencies (npm install, from package-lock.json)");
  run("npm install --no-audit --no-fund");
}

/**
 * Newest mtime of a file, or of every file under a folder (skipping node_modules and the
 * named sub-folders: build outputs inside sources); 0 when the path does not exist.
 */
function newestMtime(path, skip = []) {
  if (!existsSync(path)) return 0;
  if (!statSync(path).isDirectory()) return statSync(path).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (skip.includes(entry.name) || entry.name === "node_modules") continue;
    const t = newestMtime(join(path, entry.name), skip);
    if (t > newest) newest = t;
  }
  return newest;
}

/** True when `output` exists and is no older than the newest of its inputs' mtimes. */
function upToDate(output, inputsMtime) {
  return existsSync(output) && statSync(output).mtimeMs >= inputsMtime;
}

/** The compiled library and kernel in dist/: rebuilt when a source file is newer. */
export function ensureBuild() {
  const marker = join(root, "dist", "src", "index.js");
  const sources = Math.max(newestMtime(join(root, "src")), newestMtime(join(root, "kernel")));
  if (upToDate(marker, sources)) return;
  say("building the library and kernel (tsc)");
  run("npx tsc -p tsconfig.build.json");
}

/**
 * The optional native CPU kernels (build/native/dendrite-cpu.node), rebuilt when a C source
 * is newer; where the machine cannot build them, build-native.mjs records why and the
 * library runs its WebAssembly kernels.
 */
export async function ensureNative() {
  const { buildNative, nativeUpToDate } = await import("./build-native.mjs");
  if (nativeUpToDate()) return;
  say("building the native CPU kernels (C, AVX2+FMA)");
  const reason = buildNative({ quiet: true });
  if (reason) say(`native CPU kernels skipped: ${reason}; the WebAssembly kernels serve`);
}

function dpkgInstalled(pkg) {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.includes("install ok installed");
}

/** Debian packages (the Jupyter server, Chromium): installed with apt-get when missing. */
export function ensureApt(pkgs, why) {
  const missing = pkgs.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) return true;
  say(`installing Debian packages for ${why}: ${missing.join(" ")}`);
  const sudo = process.getuid && process.getuid() === 0 ? "" : "sudo ";
  try {
    run(`${sudo}apt-get update -qq`);
    run(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(" ")}`);
    return true;
  } catch (e) {
    say(`could not install ${missing.join(" ")}: ${e.message}`);
    return false;
  }
}

export const JUPYTER_PACKAGES = [
  "jupyter-server",
  "python3-jupyterlab-server",
  "python3-jupyter-client",
  "python3-nbclient",
  "python3-nbconvert",
  "python3-jupyter-kernel-test",
];
// libvulkan1: the Vulkan loader Dawn (npm `webgpu`) dlopens; Chromium ships SwiftShader's
// Vulkan driver, which the WebGPU tests run on where there is no GPU.
export const BROWSER_PACKAGES = ["chromium", "libvulkan1"];

// ---- The bundled lab (`npm start`, browser tests). Added by the extension. ----

function extensionSources() {
  const ext = join(root, "extension");
  return Math.max(
    newestMtime(join(ext, "src")),
    newestMtime(join(ext, "style")),
    newestMtime(join(ext, "package.json")),
    newestMtime(join(root, "src", "display", "protocol.ts")),
    newestMtime(join(root, "package-lock.json")),
  );
}

/** The lab front end in extension/app/build/: rebuilt (rspack, ~10 s) when a source is newer. */
export function ensureLabBuild() {
  const marker = join(root, "extension", "app", "build", "bundle.js");
  const sources = Math.max(
    extensionSources(),
    newestMtime(join(root, "extension", "app"), ["build"]),
  );
  if (upToDate(marker, sources)) return;
  say("building the lab front end (rspack, development mode)");
  run("node extension/app/build.mjs");
}

/** The prebuilt labextension in extension/labextension/ that `dendrite install` copies. */
export function ensureLabextension() {
  const marker = join(root, "extension", "labextension", "package.json");
  if (upToDate(marker, extensionSources())) return;
  say("building the prebuilt labextension (tsc + @jupyter/builder)");
  run("npm run build --workspace extension");
}

/**
 * A Jupyter data dir holding the `dendrite` kernelspec (and the labextension beside it), for
 * JUPYTER_PATH, written by the kernel's own installer (dist/kernel/cli.js, built first).
 */
export function ensureKernelspec(dataDir) {
  const prefix = join(dataDir, "prefix");
  const cli = join(root, "dist", "kernel", "cli.js");
  execSync(`node ${JSON.stringify(cli)} install --prefix ${JSON.stringify(prefix)}`, {
    cwd: root,
    stdio: "pipe",
  });
  return join(prefix, "share", "jupyter");
}
