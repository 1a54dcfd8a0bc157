// `npm start`: installs what is missing, builds what is stale, then serves the bundled
// JupyterLab on notebooks/ with the Dendrite kernel and renderers, bound to 127.0.0.1 with a
// token, and prints the URL to open.
//   node scripts/start.mjs [--port N] [--notebook PATH relative to notebooks/] [--root DIR]
// --root serves another folder instead of notebooks/ (the tests open executed copies).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import {
  root,
  ensureNodeModules,
  ensureBuild,
  ensureNative,
  ensureApt,
  ensureLabBuild,
  ensureLabextension,
  ensureKernelspec,
  JUPYTER_PACKAGES,
} from "./ensure.mjs";

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The first free port from `start` on, so a second lab (or a test) does not collide. */
function freePort(start) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(freePort(start + 1)));
    srv.listen(start, "127.0.0.1", () => srv.close(() => resolve(start)));
  });
}

ensureNodeModules();
if (!ensureApt(JUPYTER_PACKAGES, "the Jupyter server")) process.exit(1);
try {
  ensureBuild();
  await ensureNative();
} catch {
  // The lab and its renderers do not need dist/; say so and serve anyway, so a broken library
  // build can still be investigated from a notebook.
  console.log("[dendrite] the library build failed (see above); the kernel may not load dendrite");
}
ensureLabBuild();

// Settings, workspaces, the kernelspec and labextensions; tests pass a fresh folder.
const state = process.env.DENDRITE_LAB_STATE ?? join(root, "extension", "app", "build", "state");
mkdirSync(join(state, "runtime"), { recursive: true });
const jupyterPath = ensureKernelspec(state);
const labextensions = join(state, "labextensions");
mkdirSync(labextensions, { recursive: true });
try {
  ensureLabextension();
  // Serve the prebuilt labextension exactly as `dendrite install` lays it out for JupyterLab.
  const target = join(labextensions, "@dendrite", "jupyterlab");
  rmSync(target, { recursive: true, force: true });
  cpSync(join(root, "extension", "labextension"), target, { recursive: true });
} catch (e) {
  console.log(
    `[dendrite] prebuilt labextension unavailable (${e.message}); using the bundled renderers`,
  );
}
const notebooks = resolve(arg("root", join(root, "notebooks")));
mkdirSync(notebooks, { recursive: true });

const port = await freePort(Number(arg("port", process.env.DENDRITE_LAB_PORT ?? 8888)));
const token = process.env.DENDRITE_LAB_TOKEN ?? randomBytes(24).toString("hex");
const first = readdirSync(notebooks)
  .filter((f) => f.endsWith(".ipynb"))
  .sort()[0];
const notebook = arg("notebook", first);
// ?reset drops the saved workspace, so the lab opens what was asked rather than old tabs.
const path = notebook && existsSync(join(notebooks, notebook)) ? `/lab/tree/${notebook}` : "/lab";
const url = `http://127.0.0.1:${port}${path}?reset&token=${token}`;

const args = [
  join(root, "extension", "app", "dendrite_lab.py"),
  "--ServerApp.ip=127.0.0.1",
  `--ServerApp.port=${port}`,
  "--ServerApp.port_retries=0",
  `--ServerApp.root_dir=${notebooks}`,
  "--ServerApp.open_browser=False",
  "--MappingKernelManager.default_kernel_name=dendrite",
];
if (process.getuid && process.getuid() === 0) args.push("--allow-root");

// Debian's /usr/bin/python3 sees the Jupyter packages; other Pythons on PATH do not. Private
// Jupyter dirs keep the user's own configuration and kernels out of the way.
const server = spawn("/usr/bin/python3", args, {
  cwd: root,
  stdio: ["ignore", "inherit", "pipe"],
  env: {
    ...process.env,
    JUPYTER_TOKEN: token,
    JUPYTER_PATH: jupyterPath,
    JUPYTER_CONFIG_DIR: join(state, "config"),
    JUPYTER_RUNTIME_DIR: join(state, "runtime"),
    DENDRITE_LAB_STATE: state,
    DENDRITE_LAB_EXTENSIONS: labextensions,
  },
});

let announced = false;
server.stderr.on("data", (chunk) => {
  process.stderr.write(chunk);
  // The server logs to stderr; announce once it says it is running.
  if (!announced && /is running at/.test(String(chunk))) {
    announced = true;
    console.log(`\n[dendrite] Lab ready. Open:\n[dendrite] ${url}\n`);
  }
});

for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.kill(sig));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
