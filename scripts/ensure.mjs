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

/** npm dependencies: `npm ci` when node_modules is absent or older than the lockfile. */
export function ensureNodeModules() {
  const nm = join(root, "node_modules", ".package-lock.json");
  const lock = join(root, "package-lock.json");
  if (existsSync(nm) && statSync(nm).mtimeMs >= statSync(lock).mtimeMs) return;
  say("installing npm dependencies (npm ci)");
  run("npm ci --no-audit --no-fund");
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** The compiled library and kernel in dist/: rebuilt when a source file is newer. */
export function ensureBuild() {
  const marker = join(root, "dist", "src", "index.js");
  const sources = Math.max(newestMtime(join(root, "src")), newestMtime(join(root, "kernel")));
  if (existsSync(marker) && statSync(marker).mtimeMs >= sources) return;
  say("building the library and kernel (tsc)");
  run("npx tsc -p tsconfig.build.json");
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
