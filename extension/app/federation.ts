// Prebuilt (federated) labextensions, as JupyterLab's own bootstrap uses them: each remote
// container exposes its plugins, mime renderers and styles as modules to `get`.
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";

/** One entry of the page config's `federated_extensions` (from jupyterlab_server). */
export interface FederatedExtension {
  name: string;
  load: string;
  extension?: string;
  mimeExtension?: string;
  style?: string;
}

type Factory = () => Record<string, unknown>;

async function createModule(scope: string, module: string): Promise<Record<string, unknown>> {
  const containers = (
    window as unknown as { _JUPYTERLAB: Record<string, { get(m: string): Promise<Factory> }> }
  )._JUPYTERLAB;
  const factory = await containers[scope].get(module);
  return factory();
}

function pluginsOf(mod: Record<string, unknown>): JupyterFrontEndPlugin<unknown>[] {
  // ES modules carry their plugins on `default`; CommonJS ones are the exports themselves.
  const exported = Object.prototype.hasOwnProperty.call(mod, "__esModule") ? mod.default : mod;
  return (Array.isArray(exported) ? exported : [exported]) as JupyterFrontEndPlugin<unknown>[];
}

export interface FederatedParts {
  plugins: JupyterFrontEndPlugin<unknown>[];
  mimeExtensions: IRenderMime.IExtensionModule[];
  /** Package names whose mime extension came from a remote, so a built-in copy steps aside. */
  mimeNames: string[];
}

export async function loadFederated(all: FederatedExtension[]): Promise<FederatedParts> {
  const parts: FederatedParts = { plugins: [], mimeExtensions: [], mimeNames: [] };
  await Promise.all(
    all.map(async (ext) => {
      try {
        if (ext.extension)
          parts.plugins.push(...pluginsOf(await createModule(ext.name, ext.extension)));
        if (ext.mimeExtension) {
          const mod = await createModule(ext.name, ext.mimeExtension);
          parts.mimeExtensions.push(mod as unknown as IRenderMime.IExtensionModule);
          parts.mimeNames.push(ext.name);
        }
        if (ext.style) await createModule(ext.name, ext.style);
      } catch (err) {
        console.error(`labextension ${ext.name} failed to activate`, err);
      }
    }),
  );
  return parts;
}
