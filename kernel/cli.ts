#!/usr/bin/env node
// `npx dendrite install [--user | --sys-prefix | --prefix P] [--python PY]`,
// `npx dendrite uninstall [same options]`, and `dendrite kernel <connection file>`.
import { dirname } from "node:path";
import { install, kernelsDir, uninstall, type Location } from "./kernelspec.js";
import { installLabextension, uninstallLabextension } from "./labextension.js";

const USAGE = `usage:
  dendrite install   [--user | --sys-prefix | --prefix PREFIX] [--python PYTHON]
  dendrite uninstall [--user | --sys-prefix | --prefix PREFIX] [--python PYTHON]
  dendrite kernel CONNECTION_FILE

install writes the Jupyter kernelspec "dendrite" (Dendrite (TypeScript)):
  --user        into the per-user Jupyter data folder (the default unless root)
  --sys-prefix  into the prefix of PYTHON (a virtualenv or conda env; default python3)
  --prefix P    into P/share/jupyter/kernels/
`;

function parseLocation(args: string[]): Location {
  const loc: Location = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--user") loc.user = true;
    else if (a === "--sys-prefix") loc.sysPrefix = true;
    else if (a === "--prefix" || a === "--python") {
      const value = args[++i];
      if (!value) throw new Error(`${a} needs a value`);
      if (a === "--prefix") loc.prefix = value;
      else loc.python = value;
    } else if (a.startsWith("--prefix=")) loc.prefix = a.slice("--prefix=".length);
    else if (a.startsWith("--python=")) loc.python = a.slice("--python=".length);
    else throw new Error(`unknown option ${a}`);
  }
  if ([loc.user, loc.sysPrefix, loc.prefix].filter(Boolean).length > 1) {
    throw new Error("choose one of --user, --sys-prefix and --prefix");
  }
  return loc;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "install") {
    const loc = parseLocation(rest);
    const dir = install(loc);
    console.log(`Installed the Dendrite kernelspec in ${dir}`);
    const ext = installLabextension(kernelsDir(loc));
    if (ext) console.log(`Installed the Dendrite JupyterLab extension in ${ext}`);
    else
      console.log(
        "The JupyterLab extension is not built in this copy (npm run build -w extension).",
      );
    return 0;
  }
  if (command === "uninstall") {
    const loc = parseLocation(rest);
    const removed = uninstall(loc);
    // The extension was installed beside each kernelspec: remove it from the same places.
    for (const kernelDir of [...removed]) {
      const ext = uninstallLabextension(dirname(kernelDir));
      if (ext) removed.push(ext);
    }
    if (removed.length === 0) console.log("No Dendrite kernelspec found there.");
    for (const dir of removed) console.log(`Removed ${dir}`);
    return 0;
  }
  if (command === "kernel" && rest[0]) {
    const { startKernel } = await import("./server.js");
    await startKernel(rest[0]);
    return -1;
  }
  process.stdout.write(USAGE);
  return command === "--help" || command === "-h" ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err) => {
    console.error(`dendrite: ${(err as Error)?.message ?? err}`);
    process.exit(1);
  },
);
