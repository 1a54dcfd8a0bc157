// Starts the bundled JupyterLab: the same steps as JupyterLab's own bootstrap (plugin registry,
// service manager from plugins, mime extensions, federated extensions). Called by index.ts
// once the remote entries of prebuilt labextensions are loaded.
import { JupyterLab } from "@jupyterlab/application";
import { IConnectionStatus, IServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";
import { loadFederated, type FederatedExtension } from "./federation.js";
import { DENDRITE_PACKAGE, loadMimeExtensions, loadPlugins } from "./plugins.js";

export async function main(federated: FederatedExtension[]): Promise<void> {
  const pluginRegistry = new PluginRegistry();
  const [plugins, remote] = await Promise.all([loadPlugins(), loadFederated(federated)]);
  // The prebuilt Dendrite labextension, when the server offers it, replaces the copy compiled
  // into this bundle: `npm start` then exercises exactly what `dendrite install` ships.
  const fromRemote = remote.mimeNames.includes(DENDRITE_PACKAGE);
  const mimeExtensions = [...(await loadMimeExtensions(!fromRemote)), ...remote.mimeExtensions];
  pluginRegistry.registerPlugins([...plugins, ...remote.plugins]);
  // Since JupyterLab 4.4 the service manager comes from plugins (@jupyterlab/services-extension).
  const serviceManager = await pluginRegistry.resolveOptionalService(IServiceManager);
  const connectionStatus = await pluginRegistry.resolveOptionalService(IConnectionStatus);
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager: serviceManager ?? undefined,
    connectionStatus: connectionStatus ?? undefined,
    mimeExtensions,
  });
  await lab.start({ bubblingKeydown: true });
  await lab.restored;
  // The browser tests drive the lab through its commands (run all, change theme).
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = lab;
  document.body.dataset.dendriteRenderers = fromRemote ? "labextension" : "bundled";
  document.body.dataset.dendriteLab = "ready";
}
