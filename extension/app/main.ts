// Starts the bundled JupyterLab: the same steps as JupyterLab's own bootstrap (plugin registry,
// service manager from plugins, mime extensions, federated extensions). Called by index.ts
// once the remote entries of prebuilt labextensions are loaded.
import { PluginRegistry } from "@lumino/coreutils";
import { loadFederated, type FederatedExtension } from "./federation.js";
import { DENDRITE_PACKAGE, loadMimeExtensions, loadPlugins } from "./plugins.js";
import { startLab } from "./start-lab.js";

export async function main(federated: FederatedExtension[]): Promise<void> {
  const pluginRegistry = new PluginRegistry();
  const [plugins, remote] = await Promise.all([loadPlugins(), loadFederated(federated)]);
  // The prebuilt Dendrite labextension, when the server offers it, replaces the copy compiled
  // into this bundle: `npm start` then exercises exactly what `dendrite install` ships.
  const fromRemote = remote.mimeNames.includes(DENDRITE_PACKAGE);
  const mimeExtensions = [...(await loadMimeExtensions(!fromRemote)), ...remote.mimeExtensions];
  pluginRegistry.registerPlugins([...plugins, ...remote.plugins]);
  await startLab(pluginRegistry, mimeExtensions, fromRemote ? "labextension" : "bundled");
}
