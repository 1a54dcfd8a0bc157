// Starts the bundled JupyterLab: the same steps as JupyterLab's own bootstrap (plugin registry,
// service manager from plugins, mime extensions), minus federated extensions. Loaded by
// index.ts after the public path and styles are set up.
import { JupyterLab } from "@jupyterlab/application";
import { IConnectionStatus, IServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";
import { loadMimeExtensions, loadPlugins } from "./plugins.js";

export async function main(): Promise<void> {
  const pluginRegistry = new PluginRegistry();
  const [plugins, mimeExtensions] = await Promise.all([loadPlugins(), loadMimeExtensions()]);
  pluginRegistry.registerPlugins(plugins);
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
  // The browser tests drive the lab through its commands (run all, open a notebook).
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = lab;
  document.body.dataset.dendriteLab = "ready";
}
