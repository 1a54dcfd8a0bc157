// The prebuilt JupyterLab extension (extension/labextension, built by `npm run build -w
// extension`) goes next to the kernelspec, into <data dir>/labextensions/<package name>/, where
// JupyterLab 4 loads prebuilt ("federated") extensions from without a rebuild.
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built labextension inside this copy of Dendrite (null when it was not built). */
export function builtLabextension(): { dir: string; name: string } | null {
  const dir = fileURLToPath(new URL("../../extension/labextension", import.meta.url));
  const pkg = join(dir, "package.json");
  if (!existsSync(pkg)) return null;
  return { dir, name: JSON.parse(readFileSync(pkg, "utf8")).name as string };
}

/** labextensions/ beside the kernels/ folder of the same Jupyter data directory. */
function labextensionsDir(kernelsDir: string): string {
  return join(dirname(kernelsDir), "labextensions");
}

/** Copies the labextension; returns where, or null when there is none to copy. */
export function installLabextension(kernelsDir: string): string | null {
  const built = builtLabextension();
  if (!built) return null;
  const target = join(labextensionsDir(kernelsDir), built.name);
  rmSync(target, { recursive: true, force: true });
  cpSync(built.dir, target, { recursive: true });
  return target;
}

export function uninstallLabextension(
  kernelsDir: string,
  name = "@dendrite/jupyterlab",
): string | null {
  const target = join(labextensionsDir(kernelsDir), name);
  if (!existsSync(join(target, "package.json"))) return null;
  rmSync(target, { recursive: true, force: true });
  return target;
}
